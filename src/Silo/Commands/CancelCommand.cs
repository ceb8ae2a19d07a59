using System.CommandLine;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent cancel SWEEP</c>: stops handing out a sweep's trials, wherever it runs (<see cref="SweepControl"/>):
/// a local <c>run</c> stops within a second and exits with code 3; a cluster sweep is cancelled by its control silo,
/// or in the store when no silo runs. Stored results stay; <c>resume</c> continues.
/// </summary>
public sealed class CancelCommand(IResultStore store, IOptions<DatabaseOptions> database, TimeProvider time, SweepControl control, CancelCommand.Input input)
    : StoreCommand(store, database, time)
{
    public sealed record Input(string Sweep);

    public static Command Create()
    {
        var sweep = CliOptions.SweepId();
        var command = new Command("cancel", "Cancel a sweep (a local run stops within a second); stored results stay and resume continues it.") { sweep };
        command.SetAction((parse, ct) => RunAsync<CancelCommand, Input>(parse, new Input(parse.GetRequiredValue(sweep)), ct, SweepControl.AddTo));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweep = await RequireSweepAsync(store, input.Sweep, cancellationToken);
        if (sweep.Status is SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed)
        {
            Console.Out.WriteLine($"sweep {sweep.Id} is already {sweep.Status.ToString().ToLowerInvariant()}");
            return ExitCodes.Success;
        }

        Console.Out.WriteLine(await control.CancelAsync(sweep, cancellationToken));
        return ExitCodes.Success;
    }
}
