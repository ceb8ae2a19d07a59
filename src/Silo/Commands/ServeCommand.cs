using Microsoft.Extensions.Hosting;
using GradDescent.Silo.Cli;

namespace GradDescent.Silo.Commands;

/// <summary>The handler of the long-running commands (silo, worker): start the host, run until Ctrl-C or SIGTERM.</summary>
public sealed class ServeCommand(IHost host) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await host.StartAsync(cancellationToken);
        await host.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
