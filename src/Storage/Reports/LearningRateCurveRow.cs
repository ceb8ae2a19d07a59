namespace GradDescent.Storage.Reports;

/// <summary>One row of the <c>learning_rate_curve</c> view: the repeats (seeds) of one configuration.</summary>
public sealed record LearningRateCurveRow
{
    public required string Optimizer { get; init; }

    public required double? LearningRate { get; init; }

    public required long Trials { get; init; }

    public required long Completed { get; init; }

    public required long Diverged { get; init; }

    public required long Failed { get; init; }

    /// <summary>Trials stopped early by the search (ASHA, median rule): counted, never averaged, never converged.</summary>
    public long Pruned { get; init; }

    public required long N { get; init; }

    public required double? Mean { get; init; }

    public required double? StdDev { get; init; }

    public required double? Ci95HalfWidth { get; init; }

    public required double? Median { get; init; }

    public required double? BestValue { get; init; }

    public required double MeanDurationMs { get; init; }

    /// <summary>The configuration: every parameter but the seed (JSON object, keys in ordinal order).</summary>
    public required string Parameters { get; init; }

    /// <summary>Smallest and largest completed value; equal when every seed gave the same result.</summary>
    public double? MinValue { get; init; }

    public double? MaxValue { get; init; }

    /// <summary>Trials that converged: completed and within the far factor of the optimum (view <c>trial_optimum</c>).</summary>
    public long Converged { get; init; }

    /// <summary>The optimum the configuration is measured against: the known one (<see cref="OptimumKnown"/>) or the sweep's best.</summary>
    public double? Optimum { get; init; }

    public bool OptimumKnown { get; init; }
}
