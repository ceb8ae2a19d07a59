using GradDescent.Abstractions.Experiments;

namespace GradDescent.Reports.Analysis;

/// <summary>
/// The shape of a run's step metric: how many steps went the wrong way (the loss rose, the angle fell: oscillation), and
/// the first steps within 1% and 10% of the optimum.
/// </summary>
/// <param name="Steps">Length of the series.</param>
/// <param name="WrongWaySteps">Steps whose value moved away from the goal by more than float rounding (10⁻⁶ relative).</param>
/// <param name="Within1Pct">First step within 1% of the optimum; null if none.</param>
/// <param name="Within10Pct">First step within 10% of the optimum; null if none.</param>
public sealed record RunShape(int Steps, int WrongWaySteps, int? Within1Pct, int? Within10Pct)
{
    /// <summary>Relative change below which a step counts as standing still (float32 rounding).</summary>
    public const double Noise = 1e-6;

    public static RunShape Of(float[]? series, double? optimum, MetricGoal goal)
    {
        if (series is not { Length: > 0 })
        {
            return new RunShape(0, 0, null, null);
        }

        var sign = goal == MetricGoal.Minimize ? 1.0 : -1.0;
        var wrong = 0;
        for (var i = 1; i < series.Length; i++)
        {
            double before = series[i - 1], after = series[i];
            if (double.IsFinite(before) && double.IsFinite(after) && (after - before) * sign > Noise * Math.Max(Math.Abs(before), 1e-12))
            {
                wrong++;
            }
        }

        return new RunShape(series.Length, wrong, First(series, optimum, sign, ComparisonRules.WithinFraction), First(series, optimum, sign, 0.1));
    }

    private static int? First(float[] series, double? optimum, double sign, double fraction)
    {
        if (optimum is not { } best)
        {
            return null;
        }

        var index = Array.FindIndex(series, v => float.IsFinite(v) && (v - best) * sign <= fraction * Math.Abs(best));
        return index < 0 ? null : index;
    }
}
