using System.CommandLine;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent status SWEEP</c>: state and progress as stored. A local run that stopped without finishing shows as
/// <c>interrupted</c>, with the command that continues it.
/// </summary>
public sealed class StatusCommand(IResultStore store, IOptions<DatabaseOptions> database, TimeProvider time, StatusCommand.Input input)
    : StoreCommand(store, database, time)
{
    public sealed record Input(string Sweep, bool Json);

    public static Command Create()
    {
        var sweep = CliOptions.SweepId();
        var json = CliOptions.Json();
        var command = new Command("status", "Show a sweep's state, progress and best result.") { sweep, json };
        command.SetAction((parse, ct) => RunAsync<StatusCommand, Input>(parse, new Input(parse.GetRequiredValue(sweep), parse.GetValue(json)), ct));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweep = await RequireSweepAsync(store, input.Sweep, cancellationToken);
        var progress = await store.GetProgressAsync(sweep.Id, cancellationToken);
        var now = Time.GetUtcNow();
        var liveness = sweep.Liveness;
        var status = liveness.Describe(now);

        // A running sweep's error column holds why it waits for a worker its placement allows (docs/sweep-spec.md).
        var waiting = sweep.Waiting;
        var error = waiting is null ? sweep.Error : null;
        if (input.Json)
        {
            Console.Out.WriteLine(new JsonObject
            {
                ["id"] = sweep.Id,
                ["name"] = sweep.Name,
                ["experiment"] = sweep.Experiment,
                ["status"] = status,
                ["stored_status"] = sweep.Status.ToString().ToLowerInvariant(),
                ["total"] = progress.TotalTrials,
                ["completed"] = progress.Completed,
                ["diverged"] = progress.Diverged,
                ["failed"] = progress.Failed,
                ["pruned"] = progress.Pruned,
                ["primary_metric"] = progress.PrimaryMetric,
                ["best"] = progress.BestPrimaryMetric,
                ["best_trial"] = progress.BestTrialIndex,
                ["created_at"] = sweep.CreatedAt,
                ["started_at"] = sweep.StartedAt,
                ["finished_at"] = sweep.FinishedAt,
                ["local_session"] = sweep.LocalSession,
                ["heartbeat_at"] = sweep.HeartbeatAt,
                ["spec_path"] = sweep.SpecPath,
                ["waiting"] = waiting,
                ["error"] = error,
            }.ToJsonString());
            return ExitCodes.Success;
        }

        Console.Out.WriteLine($"sweep      {sweep.Id} ({sweep.Name})");
        Console.Out.WriteLine($"experiment {sweep.Experiment}");
        Console.Out.WriteLine($"status     {status}{Explain(sweep, liveness, now)}{(waiting is null ? string.Empty : $" (waiting: {waiting})")}");
        Console.Out.WriteLine($"progress   {progress.Stored}/{progress.TotalTrials} stored: {progress.Completed} completed, {progress.Diverged} diverged, {progress.Failed} failed{(progress.Pruned > 0 ? $", {progress.Pruned} pruned" : string.Empty)}");
        Console.Out.WriteLine($"best       {progress.PrimaryMetric} = {Progress.ProgressLine.FormatBest(progress.BestPrimaryMetric)}{(progress.BestTrialIndex is { } i ? $" (trial {i})" : string.Empty)}");
        Console.Out.WriteLine($"created    {sweep.CreatedAt:u}{(sweep.StartedAt is { } s ? $", started {s:u}" : string.Empty)}{(sweep.FinishedAt is { } f ? $", finished {f:u}" : string.Empty)}");
        if (error is not null)
        {
            Console.Out.WriteLine($"error      {error}");
        }

        return ExitCodes.Success;
    }

    /// <summary>Who runs the sweep, or how to continue it.</summary>
    private static string Explain(SweepRecord sweep, SweepLiveness liveness, DateTimeOffset now)
    {
        if (liveness.IsInterrupted(now))
        {
            var stopped = liveness.HeartbeatAt is { } beat ? $", last seen {beat:u}" : string.Empty;
            return $" (the local run {liveness.LocalSession} stopped before the end{stopped}; continue with: graddescent resume {sweep.Id})";
        }

        if (liveness.IsLocalRunAlive(now) && sweep.Status is not (SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed))
        {
            return $" (local run {liveness.LocalSession})";
        }

        return sweep.Status is SweepStatus.Cancelled or SweepStatus.Failed ? $" (continue with: graddescent resume {sweep.Id})" : string.Empty;
    }
}
