using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// How TPE ranks a trial, smaller first (Optuna's observation pairs): <see cref="Step"/> first, −∞ for
/// every trial that ran to the end, −(iteration reached) for a pruned one (so deeper is better), +∞
/// for a pending one that the liar calls worst; then the objective values, oriented to minimise.
/// </summary>
internal readonly record struct TrialScore(double Step, double[] Values)
{
    public static TrialScore Of(TrialObservation observation, IReadOnlyList<MetricGoal> goals) => observation.Kind switch
    {
        ObservationKind.Completed => new(double.NegativeInfinity, Finite(ParetoFront.Orient(observation.Values, goals))),
        ObservationKind.Pruned => new(-(double)observation.PrunedAt!.Value, Finite(ParetoFront.Orient(observation.Values, goals.Take(1).ToList()))),
        _ => new(double.NegativeInfinity, Worst(goals.Count)),
    };

    /// <summary>The score a pending trial is given.</summary>
    public static TrialScore Lie(ConstantLiar liar, IReadOnlyList<TrialScore> real, int objectives)
    {
        if (liar == ConstantLiar.Worst)
        {
            return new(double.PositiveInfinity, Worst(objectives));
        }

        var values = new double[objectives];
        for (var m = 0; m < objectives; m++)
        {
            var finished = real.Where(s => double.IsNegativeInfinity(s.Step) && double.IsFinite(s.Values[m])).Select(s => s.Values[m]).ToList();
            values[m] = finished.Count == 0 ? double.PositiveInfinity : liar == ConstantLiar.Mean ? finished.Average() : finished.Min();
        }

        return new(double.NegativeInfinity, values);
    }

    /// <summary>Lexicographic: step, then the (single) value.</summary>
    public static int Compare(TrialScore a, TrialScore b)
    {
        var step = a.Step.CompareTo(b.Step);
        return step != 0 ? step : a.Values[0].CompareTo(b.Values[0]);
    }

    private static double[] Worst(int objectives)
    {
        var values = new double[objectives];
        Array.Fill(values, double.PositiveInfinity);
        return values;
    }

    private static double[] Finite(double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                values[i] = double.PositiveInfinity;
            }
        }

        return values;
    }

    public static ImmutableArray<MetricGoal> Goals(SweepSearch search) => [.. search.Objectives.Select(o => o.Goal)];
}
