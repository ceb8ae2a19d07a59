using System.Collections.Immutable;

namespace GradDescent.Abstractions.Search;

/// <summary>
/// Everything a worker needs to stop trials of one fused batch early, frozen when the batch is proposed:
/// the decisions depend only on this plan and the batch's own values, so a batch that runs again
/// (after a lost lease or a restart) stops exactly the same trials at exactly the same iterations.
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
    /// A live row goes on when its value is at least as good as the k-th best of everything competing at
    /// the rung (the history plus the batch's live rows), k = max(1, ⌊n/η⌋); NaN always stops.
    /// </summary>
    private int DecideAsha(StoppingCheckpoint checkpoint, ReadOnlySpan<double> current, ReadOnlySpan<bool> alive, Span<bool> stop)
    {
        var competing = new List<double>(checkpoint.History.Length + alive.Length);
        foreach (var value in checkpoint.History)
        {
            competing.Add(Oriented(value));
        }

        for (var row = 0; row < alive.Length; row++)
        {
            if (alive[row] && !double.IsNaN(current[row]))
            {
                competing.Add(Oriented(current[row]));
            }
        }

        var threshold = double.NaN;
        if (competing.Count > 0)
        {
            competing.Sort();
            var promotable = Math.Max(1, competing.Count / ReductionFactor);
            threshold = competing[promotable - 1];
        }

        var stopped = 0;
        for (var row = 0; row < alive.Length; row++)
        {
            if (alive[row] && (double.IsNaN(current[row]) || Oriented(current[row]) > threshold))
            {
                stop[row] = true;
                stopped++;
            }
        }

        return stopped;
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
