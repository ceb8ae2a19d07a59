using System.Collections.Immutable;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Trials;
using GradDescent.Workers.Devices;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Telemetry;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace GradDescent.Workers.Runtime;

/// <summary>
/// Runs a batch of trials: groups them by experiment and fusion key, runs each group as one fused
/// program, and turns outcomes into results. A group that throws is split and its trials run alone,
/// so one bad trial never takes its neighbours down; a trial that throws alone becomes a failure.
/// With an early-stopping plan (a search lease), every group follows it; a trial's decisions depend
/// only on its own values, so splitting a group does not change which trials stop.
/// </summary>
public sealed partial class TrialExecutor(ExperimentRegistry experiments, TimeProvider time, WorkerTelemetry telemetry, ILogger<TrialExecutor> logger)
{
    /// <param name="trials">The lease's trials.</param>
    /// <param name="stopping">The lease's early-stopping plan, or null.</param>
    /// <param name="device">Where the math runs.</param>
    /// <param name="workerId">Stored with every result.</param>
    /// <param name="maxFusedTrials">Most trials in one fused program.</param>
    /// <param name="cancellationToken">Stops the work (the lease was lost, or the worker stops).</param>
    public BatchOutput Execute(
        IReadOnlyList<TrialSpec> trials, StoppingPlan? stopping, torch.Device device, string workerId, int maxFusedTrials, CancellationToken cancellationToken)
    {
        var results = ImmutableArray.CreateBuilder<TrialResult>(trials.Count);
        var failures = ImmutableArray.CreateBuilder<TrialFailure>();
        var runnable = new List<(IExperiment Experiment, string Key, TrialSpec Trial)>(trials.Count);
        foreach (var trial in trials)
        {
            try
            {
                var experiment = experiments.Get(trial.Experiment);
                if (stopping is not null && !experiment.Definition.SupportsEarlyStopping)
                {
                    throw new ArgumentException($"experiment '{trial.Experiment}' cannot stop trials early, but the lease carries a stopping plan");
                }

                experiment.Validate(trial.Parameters);
                runnable.Add((experiment, experiment.FusionKey(trial.Parameters), trial));
            }
            catch (ArgumentException ex)
            {
                failures.Add(new TrialFailure(trial.Index, trial.Attempt, ex.Message));
            }
        }

        foreach (var group in runnable.GroupBy(r => (r.Experiment.Definition.Name, r.Key)))
        {
            var members = group.ToList();
            var experiment = members[0].Experiment;
            foreach (var chunk in members.Chunk(maxFusedTrials))
            {
                cancellationToken.ThrowIfCancellationRequested();
                RunGroup(experiment, chunk.Select(c => c.Trial).ToList(), stopping, device, workerId, results, failures, cancellationToken);
            }
        }

        return new BatchOutput(results.ToImmutable(), failures.ToImmutable());
    }

    private void RunGroup(
        IExperiment experiment,
        List<TrialSpec> group,
        StoppingPlan? stopping,
        torch.Device device,
        string workerId,
        ImmutableArray<TrialResult>.Builder results,
        ImmutableArray<TrialFailure>.Builder failures,
        CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var clock = time.GetTimestamp();
        try
        {
            var outcomes = experiment.RunFused(group.Select(t => new TrialInput(t.Parameters, t.Seed, stopping)).ToList(), device, cancellationToken);
            var finishedAt = time.GetUtcNow();
            var elapsed = time.GetElapsedTime(clock);
            var perTrialMs = elapsed.TotalMilliseconds / group.Count;
            telemetry.FusedRun(experiment.Definition.Name, TorchDevices.Describe(device), group.Count, elapsed);
            for (var i = 0; i < group.Count; i++)
            {
                results.Add(ToResult(group[i], outcomes[i], device, workerId, startedAt, finishedAt, perTrialMs));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (group.Count > 1)
            {
                LogGroupSplit(logger, ex, experiment.Definition.Name, group.Count);
                foreach (var trial in group)
                {
                    RunGroup(experiment, [trial], stopping, device, workerId, results, failures, cancellationToken);
                }
            }
            else
            {
                LogTrialFailed(logger, ex, group[0].SweepId, group[0].Index, group[0].Attempt);
                failures.Add(new TrialFailure(group[0].Index, group[0].Attempt, $"{ex.GetType().Name}: {ex.Message}"));
            }
        }
    }

    private static TrialResult ToResult(
        TrialSpec trial, TrialOutcome outcome, torch.Device device, string workerId, DateTimeOffset startedAt, DateTimeOffset finishedAt, double durationMs) => new()
    {
        SweepId = trial.SweepId,
        Index = trial.Index,
        Experiment = trial.Experiment,
        Parameters = trial.Parameters,
        Seed = trial.Seed,
        Status = outcome.Status,
        Attempts = trial.Attempt,
        WorkerId = workerId,
        Device = TorchDevices.Describe(device),
        StartedAt = startedAt,
        FinishedAt = finishedAt,
        DurationMs = durationMs,
        Metrics = Sorted(outcome.Metrics),
        Steps = outcome.History is StepSeries[] series ? ImmutableArray.Create(series) : [.. outcome.History],
        DivergedAtStep = outcome.DivergedAtStep,
        DetailJson = outcome.DetailJson,
        Artifacts = [.. outcome.Artifacts],
    };

    /// <summary>The metrics as the result carries them; a builder fills the tree directly (no intermediate sorted copy).</summary>
    private static ImmutableSortedDictionary<string, double> Sorted(IReadOnlyDictionary<string, double> metrics)
    {
        var sorted = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in metrics)
        {
            sorted[name] = value;
        }

        return sorted.ToImmutable();
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "A fused {Experiment} group of {Count} trials threw; running its trials one by one.")]
    private static partial void LogGroupSplit(ILogger logger, Exception exception, string experiment, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Trial {SweepId}#{Index} failed on attempt {Attempt}.")]
    private static partial void LogTrialFailed(ILogger logger, Exception exception, string sweepId, long index, int attempt);
}
