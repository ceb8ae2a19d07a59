using System.CommandLine;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent cancel SWEEP</c> and <c>graddescent pause SWEEP</c>: stop handing out a sweep's trials, wherever it
/// runs (<see cref="SweepControl"/>). Cancel ends it: a local <c>run</c> stops within a second and exits with code 3; a
/// cluster sweep is cancelled by its control silo, or in the store when no silo runs. Pause holds it: trials already out
/// finish and are stored, a local run waits. Stored results stay either way; <c>resume</c> continues.
/// </summary>
public sealed class SweepStateCommand(IResultStore store, IOptions<DatabaseOptions> database, TimeProvider time, SweepControl control, SweepStateCommand.Input input)
    : StoreCommand(store, database, time)
{
    /// <param name="Target">What the sweep becomes: <see cref="SweepStatus.Cancelled"/> or <see cref="SweepStatus.Paused"/>.</param>
    public sealed record Input(string Sweep, SweepStatus Target);

    public static Command CreateCancel() =>
        Create("cancel", "Cancel a sweep (a local run stops within a second); stored results stay and resume continues it.", SweepStatus.Cancelled);

    public static Command CreatePause() =>
        Create("pause", "Pause a running sweep (a local run within a second): no new trials until resume; trials already out are stored.", SweepStatus.Paused);

    private static Command Create(string name, string description, SweepStatus target)
    {
        var sweep = CliOptions.SweepId();
        var command = new Command(name, description) { sweep };
        command.SetAction((parse, ct) => RunAsync<SweepStateCommand, Input>(parse, new Input(parse.GetRequiredValue(sweep), target), ct, SweepControl.AddTo));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweep = await RequireSweepAsync(store, input.Sweep, cancellationToken);
        if (sweep.Status is SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed || sweep.Status == input.Target)
        {
            Console.Out.WriteLine($"sweep {sweep.Id} is already {sweep.Status.ToString().ToLowerInvariant()}");
            return ExitCodes.Success;
        }

        Console.Out.WriteLine(input.Target == SweepStatus.Paused
            ? await control.PauseAsync(sweep, cancellationToken)
            : await control.CancelAsync(sweep, cancellationToken));
        return ExitCodes.Success;
    }
}
