using System.Collections.Immutable;
using GradDescent.Abstractions.Search;

namespace GradDescent.Workers.Tests.Search;

/// <summary>Stopping plans built from full step series, and the reference answer of where each series stops.</summary>
internal static class StoppingPlans
{
    /// <summary>
    /// ASHA with rungs at <paramref name="iterations"/>, each rung's history the values of <paramref name="history"/> there
    /// (earlier trials that ran to the end), as the control plane builds it from stored trials.
    /// </summary>
    public static StoppingPlan Asha(bool maximize, int metricStep, int reductionFactor, IReadOnlyList<float[]> history, params int[] iterations) =>
        new(EarlyStoppingRule.Asha, maximize ? "target_probability" : "loss", maximize, metricStep, reductionFactor,
            [.. iterations.Select((iteration, rung) => new StoppingCheckpoint(
                iteration, rung, [.. history.Select(s => (double)s[iteration - 1]).Order()], null))]);

    /// <summary>Median stopping at every multiple of <paramref name="metricStep"/> from <paramref name="from"/> to before <paramref name="until"/>.</summary>
    public static StoppingPlan Median(int metricStep, int from, int until, IReadOnlyList<float[]> completed) =>
        new(EarlyStoppingRule.Median, "loss", false, metricStep, 0,
            [.. Enumerable.Range(0, ((until - 1 - from) / metricStep) + 1)
                .Select(k => from + (k * metricStep))
                .Select(iteration => new StoppingCheckpoint(iteration, -1, [], Median(completed.Select(s => (double)s[iteration - 1]))))]);

    /// <summary>Where a plan stops one row that runs the whole <paramref name="series"/>: each row is judged on its own values.</summary>
    public static int? ExpectedStop(StoppingPlan plan, IReadOnlyList<float> series)
    {
        var batch = new BatchStopping(plan, rows: 1, iterations: series.Count);
        while (batch.NextCheckpoint is not null)
        {
            batch.Decide((_, iteration) => series[iteration - 1], _ => false);
        }

        return batch.StoppedAt[0];
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToImmutableArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
    }
}
