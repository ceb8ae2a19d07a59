using GradDescent.Abstractions.Experiments;

namespace GradDescent.Abstractions.Storage;

/// <summary>How far a sweep got: stored trials by status and the best primary metric so far.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepProgress
{
    [Id(0)] public required string SweepId { get; init; }

    [Id(1)] public required long TotalTrials { get; init; }

    [Id(2)] public required long Completed { get; init; }

    [Id(3)] public required long Diverged { get; init; }

    [Id(4)] public required long Failed { get; init; }

    /// <summary>The experiment's primary metric, e.g. <c>mse</c>.</summary>
    [Id(5)] public required string PrimaryMetric { get; init; }

    [Id(6)] public required MetricGoal Goal { get; init; }

    /// <summary>Best finite primary metric among completed trials (per <see cref="Goal"/>); null if none yet.</summary>
    [Id(7)] public double? BestPrimaryMetric { get; init; }

    /// <summary>The trial that holds <see cref="BestPrimaryMetric"/> (lowest index on ties).</summary>
    [Id(8)] public long? BestTrialIndex { get; init; }

    /// <summary>Trials stopped early by the sweep's early-stopping rule (docs/search.md).</summary>
    [Id(9)] public long Pruned { get; init; }

    /// <summary>Trials with a stored result, whatever their status.</summary>
    public long Stored => Completed + Diverged + Failed + Pruned;
}
