namespace GradDescent.Abstractions.Search;

/// <summary>
/// Applies a <see cref="StoppingPlan"/> to the rows of one running fused batch: which rows are still live (in batch
/// order, as original row numbers), each row's best value so far over the evaluation iterations, and the iteration
/// each stopped row stopped at. The experiment runs to <see cref="NextCheckpoint"/>, copies its step metric to the
/// host, calls <see cref="Decide"/> and drops the rows it returns from every [B, …] tensor. A checkpoint at or after
/// the batch's last iteration decides nothing (the trials are done anyway). Without a plan nothing ever stops.
/// </summary>
public sealed class BatchStopping
{
    private readonly StoppingPlan? plan;
    private readonly int iterations;
    private readonly double[] best;
    private readonly int?[] stoppedAt;
    private int next;
    private int evaluated;
    private List<int> live;

    /// <param name="plan">The lease's plan; null: no early stopping.</param>
    /// <param name="rows">Rows in the fused batch.</param>
    /// <param name="iterations">Iterations every row of the batch runs (its step series' length, give or take the experiment's own convention).</param>
    public BatchStopping(StoppingPlan? plan, int rows, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        this.plan = plan;
        this.iterations = iterations;
        best = new double[rows];
        Array.Fill(best, double.NaN);
        live = [.. Enumerable.Range(0, rows)];
        stoppedAt = new int?[rows];
    }

    /// <summary>The original row of each row still in the batch, in batch order.</summary>
    public IReadOnlyList<int> Live => live;

    /// <summary>Per original row: the iteration it stopped at (its step series end there), or null.</summary>
    public IReadOnlyList<int?> StoppedAt => stoppedAt;

    /// <summary>True once some row stopped.</summary>
    public bool AnyStopped => live.Count < best.Length;

    /// <summary>The iteration of the next decision, or null when none is left (no plan, past the last one, or no live row).</summary>
    public int? NextCheckpoint =>
        plan is not null && next < plan.Checkpoints.Length && plan.Checkpoints[next].Iteration < iterations && live.Count > 0
            ? plan.Checkpoints[next].Iteration
            : null;

    /// <summary>
    /// Decides at <see cref="NextCheckpoint"/>: folds every evaluation iteration up to it into the rows' best values,
    /// then lets the plan stop rows. A diverged row (non-finite values, reported as diverged by the experiment) is not
    /// judged and runs on.
    /// </summary>
    /// <param name="value">A live row's step-metric value number <c>iteration</c> (series entry <c>iteration − 1</c>): (original row, iteration) → value.</param>
    /// <param name="diverged">Whether an original row has diverged by the checkpoint.</param>
    /// <returns>The positions in <see cref="Live"/> (before this call) of the rows that go on, or null when none stopped.</returns>
    /// <exception cref="InvalidOperationException">There is no checkpoint left.</exception>
    public int[]? Decide(Func<int, int, double> value, Func<int, bool> diverged)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(diverged);
        var iteration = NextCheckpoint ?? throw new InvalidOperationException("no stopping checkpoint is left");
        var checkpoint = plan!.Checkpoints[next++];
        for (var at = evaluated + plan.MetricStep; at <= iteration; at += plan.MetricStep)
        {
            foreach (var row in live)
            {
                best[row] = plan.Better(best[row], value(row, at));
            }

            evaluated = at;
        }

        var count = live.Count;
        var current = new double[count];
        var bestSoFar = new double[count];
        var alive = new bool[count];
        var stop = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var row = live[i];
            alive[i] = !diverged(row);
            current[i] = alive[i] ? value(row, iteration) : double.NaN;
            bestSoFar[i] = best[row];
        }

        if (plan.Decide(checkpoint, current, bestSoFar, alive, stop) == 0)
        {
            return null;
        }

        var keep = new List<int>(count);
        var remaining = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            if (stop[i])
            {
                stoppedAt[live[i]] = iteration;
            }
            else
            {
                keep.Add(i);
                remaining.Add(live[i]);
            }
        }

        live = remaining;
        return [.. keep];
    }
}
