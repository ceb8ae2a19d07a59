using System.Collections.Immutable;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Grains.Tests;

/// <summary>Builds results the way a worker would, for trials handed out by the control plane.</summary>
internal static class TrialResults
{
    public static TrialResult For(TrialSpec trial, double mse, string workerId = "worker-a", TrialStatus status = TrialStatus.Completed) => new()
    {
        SweepId = trial.SweepId,
        Index = trial.Index,
        Experiment = trial.Experiment,
        Parameters = trial.Parameters,
        Seed = trial.Seed,
        Status = status,
        Attempts = trial.Attempt,
        WorkerId = workerId,
        Device = "cpu",
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch,
        DurationMs = 1,
        Metrics = ImmutableSortedDictionary<string, double>.Empty.Add("mse", mse),
        Steps = [new StepSeries("loss", [(float)mse * 2, (float)mse])],
    };
}
