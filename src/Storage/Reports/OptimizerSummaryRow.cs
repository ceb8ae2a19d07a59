namespace GradDescent.Storage.Reports;

/// <summary>One row of the <c>optimizer_summary</c> view: an optimizer at its best learning rate.</summary>
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

    public required long LrPoints { get; init; }

    /// <summary>Learning rates at which every repeat completed.</summary>
    public required long LrConverged { get; init; }

    /// <summary>Learning rates at which at least one repeat diverged.</summary>
    public required long LrDiverged { get; init; }

    public required double ConvergedShare { get; init; }

    public required double DivergedShare { get; init; }

    public required long Trials { get; init; }

    public required double MeanDurationMs { get; init; }
}
