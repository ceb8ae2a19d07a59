using System.CommandLine;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent delete SWEEP [--yes] [--force]</c>: deletes a sweep with its trials and step series. Asks on a
/// terminal unless <c>--yes</c> (without a terminal, <c>--yes</c> is required). A sweep that a local run or a
/// control silo is running is refused; <c>--force</c> cancels it first (waiting for a local run to stop), then deletes.
/// </summary>
public sealed class DeleteCommand(IResultStore store, IOptions<DatabaseOptions> database, TimeProvider time, SweepControl control, DeleteCommand.Input input)
    : StoreCommand(store, database, time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a cancelled local run may take to stop before delete gives up.</summary>
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(30);

    public sealed record Input(string Sweep, bool Yes, bool Force);

    public static Command Create()
    {
        var sweep = CliOptions.SweepId();
        var yes = new Option<bool>("--yes", "-y") { Description = "Delete without asking (required when stdin is not a terminal)." };
        var force = new Option<bool>("--force") { Description = "Cancel a running sweep first, then delete it." };
        var command = new Command("delete", "Delete a sweep with its trials and step series (asks first; --yes does not).") { sweep, yes, force };
        command.SetAction((parse, ct) => RunAsync<DeleteCommand, Input>(
            parse, new Input(parse.GetRequiredValue(sweep), parse.GetValue(yes), parse.GetValue(force)), ct, SweepControl.AddTo));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweep = await RequireSweepAsync(store, input.Sweep, cancellationToken);
        var progress = await store.GetProgressAsync(sweep.Id, cancellationToken);
        var running = IsRunning(sweep, Time.GetUtcNow());
        if (running && !input.Force)
        {
            throw new UsageException(
                $"sweep {sweep.Id} is running{(sweep.LocalSession is { } session ? $" (local run {session})" : " (cluster)")}; "
                + $"cancel it first (graddescent cancel {sweep.Id}) or pass --force to cancel and delete it");
        }

        if (!input.Yes && !await ConfirmAsync($"delete sweep {sweep.Id} ({sweep.Name}, {progress.Stored} stored trials){(running ? " after cancelling it" : string.Empty)}? [y/N] "))
        {
            await Console.Error.WriteLineAsync("nothing deleted");
            return ExitCodes.Failure;
        }

        if (running)
        {
            Console.Out.WriteLine(await control.CancelAsync(sweep, cancellationToken));
            await WaitForLocalRunToStopAsync(store, sweep.Id, cancellationToken);
        }

        if (!await store.DeleteSweepAsync(sweep.Id, cancellationToken))
        {
            throw new UsageException($"sweep {sweep.Id} is no longer in this database");
        }

        Console.Out.WriteLine($"deleted sweep {sweep.Id} and its {progress.Stored} stored trials");
        return ExitCodes.Success;
    }

    /// <summary>Someone hands out this sweep's trials now: a live local run, or a control silo (cluster sweep stored as running or paused).</summary>
    private static bool IsRunning(SweepRecord sweep, DateTimeOffset now) =>
        sweep.Status is not (SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed)
        && (sweep.Liveness.IsLocalRunAlive(now) || (sweep.LocalSession is null && sweep.Status != SweepStatus.Pending));

    private static async Task<bool> ConfirmAsync(string question)
    {
        if (Console.IsInputRedirected)
        {
            throw new UsageException("delete asks for confirmation on a terminal; pass --yes to delete without asking");
        }

        await Console.Error.WriteAsync(question);
        var answer = (await Console.In.ReadLineAsync())?.Trim();
        return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A cancelled local run clears its heartbeat as it stops; deleting before that would pull the sweep from under it.</summary>
    private async Task WaitForLocalRunToStopAsync(IResultStore store, string sweepId, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + StopPatience;
        using var timer = new PeriodicTimer(PollInterval, Time);
        while ((await store.GetSweepLivenessAsync(sweepId, cancellationToken))?.IsLocalRunAlive(Time.GetUtcNow()) == true)
        {
            if (Time.GetUtcNow() > deadline)
            {
                throw new UsageException($"sweep {sweepId} is cancelled but its local run did not stop within {StopPatience.TotalSeconds:0} s; nothing deleted (retry once it has)");
            }

            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }
}
