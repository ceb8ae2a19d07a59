namespace GradDescent.Storage.Reports;

/// <summary>One row of the <c>trial_convergence</c> view: one trial, the optimum it is measured against, and when it came within 1% of it.</summary>
public sealed record TrialConvergenceRow
{
    public required long TrialIndex { get; init; }

    public required string Optimizer { get; init; }

    public required double? LearningRate { get; init; }

    public required int Seed { get; init; }

    public required string Status { get; init; }

    public required double? PrimaryMetric { get; init; }

    public required double DurationMs { get; init; }

    public required int? DivergedAtStep { get; init; }

    public required double? SweepBest { get; init; }

    /// <summary>First step whose step metric is within 1% of <see cref="Optimum"/>; null if none is.</summary>
    public required int? IterationsTo1Pct { get; init; }

    /// <summary>The known optimum of the trial's problem when <see cref="OptimumKnown"/>, else the sweep's best.</summary>
    public double? Optimum { get; init; }

    public bool OptimumKnown { get; init; }

    /// <summary>Completed and no more than the far factor worse than <see cref="Optimum"/>.</summary>
    public bool Converged { get; init; }

    /// <summary>The configuration: every parameter but the seed (JSON object, keys in ordinal order).</summary>
    public required string Parameters { get; init; }
}
