using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent worker</c>: joins a cluster with its device and slots and runs leased trials.</summary>
public sealed class WorkerCommand : ICommand
{
    public string Name => "worker";

    public string Summary => "Run a worker that joins a cluster and computes leased trials.";

    public string Usage => "worker [--device auto|cpu|cuda] [--slots N] [--worker-id ID]";

    public IReadOnlySet<string> Switches { get; } = new HashSet<string>();

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "db", "device", "slots", "worker-id" };

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(0);
        var builder = GradDescentHosting.CreateBuilder(GradDescentHosting.Overrides(arguments), LogLevel.Information);
        builder.AddClusterClient().AddWorker();
        using var host = builder.Build();
        await host.RunAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
