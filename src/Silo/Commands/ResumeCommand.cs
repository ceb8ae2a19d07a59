using System.CommandLine;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Hosting;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent resume SWEEP</c>: continues an interrupted local sweep; stored trials are not run again.</summary>
public sealed class ResumeCommand(IHost host, IResultStore store, LocalSweepSession session, ResumeCommand.Input input) : ICommandHandler
{
    public sealed record Input(string SweepId, SessionSettings Settings);

    public static Command Create()
    {
        var sweep = CliOptions.SweepId();
        var command = new Command("resume", "Continue an interrupted or cancelled sweep locally; stored trials are not re-run.")
        {
            sweep, CliOptions.Device(), CliOptions.Slots(), CliOptions.MetricsPort(0),
        };
        var settings = SessionSettings.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var input = new Input(parse.GetRequiredValue(sweep), settings(parse));
            return LocalSweepSession.RunHandlerAsync<ResumeCommand, Input>(parse, input, input.Settings, ct);
        });
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await host.StartAsync(cancellationToken);
        var sweep = await store.GetSweepAsync(input.SweepId, cancellationToken);
        if (sweep is null || sweep.Status == SweepStatus.Completed)
        {
            await host.StopAsync(CancellationToken.None);
            if (sweep is null)
            {
                throw new UsageException($"no sweep '{input.SweepId}' in this database (graddescent sweeps lists them)");
            }

            Console.Out.WriteLine($"sweep {input.SweepId} is already completed");
            return ExitCodes.Success;
        }

        return await session.RunAsync(sweep.Id, cancellationToken);
    }
}
