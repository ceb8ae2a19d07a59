using System.Collections.Immutable;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Sweeps.Search;

/// <summary>Turns stored trial results into what the searcher observes.</summary>
public static class SearchObservations
{
    /// <summary>
    /// The observation of a stored trial: completed trials give their objective values (a missing
    /// objective metric makes the trial uninformative, like a failure; a non-finite one ranks it worst,
    /// like divergence), pruned trials their last step value, and with early stopping every trial its
    /// evaluations at multiples of <c>metric_step</c>.
    /// </summary>
    public static TrialObservation FromResult(TrialResult result, SearchSpace space, SweepSearch search)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(search);
        var point = space.Encode(result.Parameters.Values);
        var stopping = search.EarlyStopping;
        var evaluations = stopping is null ? [] : Evaluations(Series(result, stopping.Metric), stopping.MetricStep);
        var observation = result.Status switch
        {
            TrialStatus.Completed => FromCompleted(result, point, search.Objectives),
            TrialStatus.Pruned when stopping is not null => FromPruned(result, point, stopping.Metric),
            TrialStatus.Diverged => TrialObservation.Diverged(result.Index, point),
            _ => TrialObservation.Failed(result.Index, point),
        };
        return observation with { Evaluations = evaluations };
    }

    /// <summary>The value of one objective for a completed trial; null when the trial does not report it.</summary>
    public static double? ObjectiveValue(TrialResult result, SweepObjective objective)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.Reach is not { } reach)
        {
            return result.Metrics.TryGetValue(objective.Metric, out var value) ? value : null;
        }

        var series = Series(result, objective.Metric);
        return series is null || series.Length == 0 ? null : IterationsToReach(series, reach);
    }

    /// <summary>
    /// The iterations a series took to first come within <c>(1 − reach)·|final|</c> of its final value:
    /// 1 when its first value already is, its length at the latest. NaN when the final value is not finite.
    /// </summary>
    public static double IterationsToReach(IReadOnlyList<float> series, double reach)
    {
        ArgumentNullException.ThrowIfNull(series);
        var final = (double)series[^1];
        if (!double.IsFinite(final))
        {
            return double.NaN;
        }

        var tolerance = (1 - reach) * Math.Abs(final);
        for (var i = 0; i < series.Count; i++)
        {
            if (Math.Abs(series[i] - final) <= tolerance)
            {
                return i + 1;
            }
        }

        return series.Count;
    }

    /// <summary>Values number metricStep, 2·metricStep, … of a series (index k·metricStep − 1).</summary>
    public static ImmutableArray<double> Evaluations(IReadOnlyList<float>? series, int metricStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(metricStep, 1);
        if (series is null)
        {
            return [];
        }

        var values = ImmutableArray.CreateBuilder<double>(series.Count / metricStep);
        for (var iteration = metricStep; iteration <= series.Count; iteration += metricStep)
        {
            values.Add(series[iteration - 1]);
        }

        return values.ToImmutable();
    }

    private static TrialObservation FromCompleted(TrialResult result, SearchPoint point, ImmutableArray<SweepObjective> objectives)
    {
        var values = new double[objectives.Length];
        for (var i = 0; i < objectives.Length; i++)
        {
            if (ObjectiveValue(result, objectives[i]) is not { } value)
            {
                return TrialObservation.Failed(result.Index, point);
            }

            if (!double.IsFinite(value))
            {
                return TrialObservation.Diverged(result.Index, point);
            }

            values[i] = value;
        }

        return TrialObservation.Completed(result.Index, point, values);
    }

    private static TrialObservation FromPruned(TrialResult result, SearchPoint point, string metric)
    {
        var series = Series(result, metric);
        if (series is null || series.Length == 0)
        {
            return TrialObservation.Failed(result.Index, point);
        }

        return TrialObservation.Pruned(result.Index, point, series.Length, series[^1]);
    }

    private static float[]? Series(TrialResult result, string metric)
    {
        foreach (var series in result.Steps)
        {
            if (series.Metric == metric)
            {
                return series.Values;
            }
        }

        return null;
    }
}
