using System.Collections.Immutable;

namespace GradDescent.Abstractions.Search;

/// <summary>
/// Everything a worker needs to stop trials of one fused batch early, frozen when the batch is proposed:
/// a row's decisions depend only on this plan and the row's own values (not on the other rows it was
/// fused with), so a trial that runs again (after a lost lease or a restart, in another batch) stops at
/// exactly the same iteration.
/// Built by the control plane from the stored trials (<c>GradDescent.Sweeps.Search.EarlyStopping</c>).
/// </summary>
/// <param name="Rule">ASHA or median stopping.</param>
/// <param name="Metric">The step series the rule reads (the experiment's step metric, e.g. <c>loss</c>).</param>
/// <param name="Maximize">True when larger values of <paramref name="Metric"/> are better.</param>
/// <param name="MetricStep">The rule looks every this many iterations.</param>
/// <param name="ReductionFactor">ASHA's η: the best 1/η of a rung go on. Unused by median stopping.</param>
/// <param name="Checkpoints">The iterations at which the rule decides, ascending.</param>
[GenerateSerializer, Immutable]
public sealed record StoppingPlan(
    [property: Id(0)] EarlyStoppingRule Rule,
    [property: Id(1)] string Metric,
    [property: Id(2)] bool Maximize,
    [property: Id(3)] int MetricStep,
    [property: Id(4)] int ReductionFactor,
    [property: Id(5)] ImmutableArray<StoppingCheckpoint> Checkpoints)
{
    /// <summary>The checkpoint at <paramref name="iteration"/>, or null when the rule does not look there.</summary>
    public StoppingCheckpoint? At(int iteration)
    {
        foreach (var checkpoint in Checkpoints)
        {
            if (checkpoint.Iteration == iteration)
            {
                return checkpoint;
            }
        }

        return null;
    }

    /// <summary>The better of two values of <see cref="Metric"/> (NaN counts as missing unless both are).</summary>
    public double Better(double a, double b)
    {
        if (double.IsNaN(a))
        {
            return b;
        }

        if (double.IsNaN(b))
        {
            return a;
        }

        return Maximize ? Math.Max(a, b) : Math.Min(a, b);
    }

    /// <summary>
    /// Decides at one checkpoint which live rows of a batch stop. Rows that are not
    /// <paramref name="alive"/> (already stopped, diverged) are ignored and never marked.
    /// </summary>
    /// <param name="checkpoint">One of <see cref="Checkpoints"/>.</param>
    /// <param name="current">Each row's value at the checkpoint's iteration.</param>
    /// <param name="bestSoFar">Each row's best value up to and including that iteration (median stopping reads it).</param>
    /// <param name="alive">Which rows still run.</param>
    /// <param name="stop">Set to true for each live row that stops here; other entries are left alone.</param>
    /// <returns>How many rows stop.</returns>
    public int Decide(StoppingCheckpoint checkpoint, ReadOnlySpan<double> current, ReadOnlySpan<double> bestSoFar, ReadOnlySpan<bool> alive, Span<bool> stop)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (current.Length != alive.Length || bestSoFar.Length != alive.Length || stop.Length != alive.Length)
        {
            throw new ArgumentException("current, bestSoFar, alive and stop must have one entry per row");
        }

        return Rule == EarlyStoppingRule.Asha
            ? DecideAsha(checkpoint, current, alive, stop)
            : DecideMedian(checkpoint, bestSoFar, alive, stop);
    }

    /// <summary>
    /// A live row goes on when its value is among the best k = max(1, ⌊n/η⌋) of the n values competing at the
    /// rung: the history and the row's own value (ties go on; NaN always stops). Each row is judged on its
    /// own, never against the other rows of its batch, so the decision does not depend on how trials were
    /// grouped into leases and fused batches: a trial stops at the same iteration however often and
    /// wherever it runs.
    /// </summary>
    private int DecideAsha(StoppingCheckpoint checkpoint, ReadOnlySpan<double> current, ReadOnlySpan<bool> alive, Span<bool> stop)
    {
        var history = checkpoint.History.AsSpan();
        var promotable = Math.Max(1, (history.Length + 1) / ReductionFactor);
        var stopped = 0;
        for (var row = 0; row < alive.Length; row++)
        {
            if (!alive[row])
            {
                continue;
            }

            if (double.IsNaN(current[row]) || StrictlyBetter(history, current[row]) >= promotable)
            {
                stop[row] = true;
                stopped++;
            }
        }

        return stopped;
    }

    /// <summary>How many values of the ascending <paramref name="history"/> are strictly better than <paramref name="value"/>.</summary>
    private int StrictlyBetter(ReadOnlySpan<double> history, double value)
    {
        // Lower bound: the first index whose value is not below (minimising) / the first above (maximising).
        int low = 0, high = history.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            var before = Maximize ? history[middle] <= value : history[middle] < value;
            if (before)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return Maximize ? history.Length - low : low;
    }

    private int DecideMedian(StoppingCheckpoint checkpoint, ReadOnlySpan<double> bestSoFar, ReadOnlySpan<bool> alive, Span<bool> stop)
    {
        if (checkpoint.Median is not { } median)
        {
            return 0;
        }

        var stopped = 0;
        for (var row = 0; row < alive.Length; row++)
        {
            if (alive[row] && (double.IsNaN(bestSoFar[row]) || Oriented(bestSoFar[row]) > Oriented(median)))
            {
                stop[row] = true;
                stopped++;
            }
        }

        return stopped;
    }

    /// <summary>Smaller is better after orientation.</summary>
    private double Oriented(double value) => Maximize ? -value : value;
}
