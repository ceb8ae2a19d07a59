using System.CommandLine;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent pause SWEEP</c>: stops handing out a sweep's trials, wherever it runs (<see cref="SweepControl"/>),
/// while trials already out finish and are stored: a local <c>run</c> pauses within a second and waits; a cluster sweep
/// is paused by its control silo, or in the store when no silo runs. <c>resume</c> continues, <c>cancel</c> ends it.
/// </summary>
public sealed class PauseCommand(IResultStore store, IOptions<DatabaseOptions> database, TimeProvider time, SweepControl control, PauseCommand.Input input)
    : StoreCommand(store, database, time)
{
    public sealed record Input(string Sweep);

    public static Command Create()
    {
        var sweep = CliOptions.SweepId();
        var command = new Command("pause", "Pause a running sweep (a local run within a second): no new trials until resume; trials already out are stored.") { sweep };
        command.SetAction((parse, ct) => RunAsync<PauseCommand, Input>(parse, new Input(parse.GetRequiredValue(sweep)), ct, SweepControl.AddTo));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweep = await RequireSweepAsync(store, input.Sweep, cancellationToken);
        if (sweep.Status is SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed or SweepStatus.Paused)
        {
            Console.Out.WriteLine($"sweep {sweep.Id} is already {sweep.Status.ToString().ToLowerInvariant()}");
            return ExitCodes.Success;
        }

        Console.Out.WriteLine(await control.PauseAsync(sweep, cancellationToken));
        return ExitCodes.Success;
    }
}
