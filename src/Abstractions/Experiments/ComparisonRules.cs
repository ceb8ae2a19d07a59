namespace GradDescent.Abstractions.Experiments;

/// <summary>
/// The rules by which reports, the report views and the dashboard compare results (docs/reports.md). Held here so the
/// SQL views and the C# rankings use the same numbers.
/// </summary>
public static class ComparisonRules
{
    /// <summary>Two results closer than this share of the better one's size are practically equal: a tie.</summary>
    public const double RelativeEquivalence = 0.001;

    /// <summary>"Within 1%": a step counts as reaching the optimum when it is this close, relative to the optimum.</summary>
    public const double WithinFraction = 0.01;

    /// <summary>
    /// A completed trial this many times worse than the optimum (above 1000 × it when minimising, below 1/1000 of it when
    /// maximising) did not converge, whatever its status.
    /// </summary>
    public const double FarFactor = 1000;

    /// <summary>The practical-equivalence margin around <paramref name="value"/>: max(0.1% of |value|, the metric's tolerance).</summary>
    public static double EquivalenceMargin(double value, ExperimentDefinition experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Math.Max(RelativeEquivalence * Math.Abs(value), experiment.EquivalenceTolerance);
    }

    /// <summary>Whether <paramref name="value"/> is within <see cref="FarFactor"/> of <paramref name="optimum"/> in the goal's direction.</summary>
    public static bool NearOptimum(double value, double optimum, MetricGoal goal) =>
        goal == MetricGoal.Minimize
            ? value - optimum <= (FarFactor - 1) * Math.Abs(optimum)
            : optimum - value <= (1 - (1 / FarFactor)) * Math.Abs(optimum);
}
