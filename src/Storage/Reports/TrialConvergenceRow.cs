namespace GradDescent.Storage.Reports;

/// <summary>One row of the <c>trial_convergence</c> view: one trial and when it came within 1% of the sweep's best.</summary>
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

    public required int? IterationsTo1Pct { get; init; }

    /// <summary>The configuration: every parameter but the seed (JSON object, keys in ordinal order).</summary>
    public required string Parameters { get; init; }
}
