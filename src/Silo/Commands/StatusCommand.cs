using System.CommandLine;
using System.Text.Json.Nodes;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent status SWEEP</c>: state and progress as stored.</summary>
public sealed class StatusCommand(IResultStore store, IOptions<DatabaseOptions> database, StatusCommand.Input input) : StoreCommand(store, database)
{
    public sealed record Input(string SweepId, bool Json);

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
        var sweep = await RequireSweepAsync(store, input.SweepId, cancellationToken);
        var progress = await store.GetProgressAsync(sweep.Id, cancellationToken);
        var status = sweep.Status.ToString().ToLowerInvariant();
        if (input.Json)
        {
            Console.Out.WriteLine(new JsonObject
            {
                ["id"] = sweep.Id,
                ["name"] = sweep.Name,
                ["experiment"] = sweep.Experiment,
                ["status"] = status,
                ["total"] = progress.TotalTrials,
                ["completed"] = progress.Completed,
                ["diverged"] = progress.Diverged,
                ["failed"] = progress.Failed,
                ["primary_metric"] = progress.PrimaryMetric,
                ["best"] = progress.BestPrimaryMetric,
                ["best_trial"] = progress.BestTrialIndex,
                ["created_at"] = sweep.CreatedAt,
                ["started_at"] = sweep.StartedAt,
                ["finished_at"] = sweep.FinishedAt,
                ["error"] = sweep.Error,
            }.ToJsonString());
            return ExitCodes.Success;
        }

        Console.Out.WriteLine($"sweep      {sweep.Id} ({sweep.Name})");
        Console.Out.WriteLine($"experiment {sweep.Experiment}");
        Console.Out.WriteLine($"status     {status}");
        Console.Out.WriteLine($"progress   {progress.Stored}/{progress.TotalTrials} stored: {progress.Completed} completed, {progress.Diverged} diverged, {progress.Failed} failed");
        Console.Out.WriteLine($"best       {progress.PrimaryMetric} = {Progress.ProgressLine.FormatBest(progress.BestPrimaryMetric)}{(progress.BestTrialIndex is { } i ? $" (trial {i})" : string.Empty)}");
        Console.Out.WriteLine($"created    {sweep.CreatedAt:u}{(sweep.StartedAt is { } s ? $", started {s:u}" : string.Empty)}{(sweep.FinishedAt is { } f ? $", finished {f:u}" : string.Empty)}");
        if (sweep.Error is { } error)
        {
            Console.Out.WriteLine($"error      {error}");
        }

        return ExitCodes.Success;
    }
}
