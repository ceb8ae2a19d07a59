namespace GradDescent.Storage.Reports;

/// <summary>One row of the <c>optimizer_summary</c> view: an optimizer at its best configuration (learning rate and other swept parameters).</summary>
public sealed record OptimizerSummaryRow
{
    public required string Optimizer { get; init; }

    /// <summary>1 = best in the sweep (ties share a rank).</summary>
    public required long Rank { get; init; }

    public required double? BestLearningRate { get; init; }

    /// <summary>Completed repeats (seeds) at the best learning rate.</summary>
    public required long N { get; init; }

    public required double? Mean { get; init; }

    public required double? StdDev { get; init; }

    /// <summary>Student-t 95% half-width: t(0.975, n-1) · stddev / √n; null with fewer than two repeats.</summary>
    public required double? Ci95HalfWidth { get; init; }

    public required double? Median { get; init; }

    public required double? BestValue { get; init; }

    /// <summary>Mean over the repeats that got there of the first step within 1% of the sweep's best; null if none did.</summary>
    public required double? IterationsTo1Pct { get; init; }

    public required long SeedsWithin1Pct { get; init; }

    /// <summary>The optimizer's configurations (learning rate × the other swept parameters) in the sweep.</summary>
    public required long GridPoints { get; init; }

    /// <summary>Configurations in which every repeat completed.</summary>
    public required long GridConverged { get; init; }

    /// <summary>Configurations in which at least one repeat diverged.</summary>
    public required long GridDiverged { get; init; }

    /// <summary>The best configuration's parameters (JSON object, keys in ordinal order).</summary>
    public required string BestParameters { get; init; }

    public required double ConvergedShare { get; init; }

    public required double DivergedShare { get; init; }

    public required long Trials { get; init; }

    public required double MeanDurationMs { get; init; }
}
