namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// What a fused run computed, copied to the host, indexed [trial][iteration]: the loss computed at
/// the start of each iteration (before its update) and the slope and intercept after its update;
/// <see cref="FinalMse"/> is the loss at the returned parameters. A trial stopped early
/// (<see cref="StoppedAt"/>) has values only for its first iterations, and its final mse is the loss
/// where it stopped.
/// </summary>
internal sealed record LinearRegressionTrajectories(float[][] Loss, float[][] Slope, float[][] Intercept, float[] FinalMse, int?[] StoppedAt)
{
    public static LinearRegressionTrajectories Allocate(int trials, int iterations)
    {
        static float[][] Series(int trials, int iterations) =>
            Enumerable.Range(0, trials).Select(_ => new float[iterations]).ToArray();

        return new(Series(trials, iterations), Series(trials, iterations), Series(trials, iterations), new float[trials], new int?[trials]);
    }

    /// <summary>
    /// Stores a chunk laid out [series (loss, slope, intercept), row, step] holding <paramref name="steps"/> steps
    /// from iteration <paramref name="first"/> on; row r of the chunk is trial <paramref name="trials"/>[r]. Each
    /// row's steps of a series are adjacent, so they copy as one block into the trial's array.
    /// </summary>
    public void Store(int first, ReadOnlySpan<float> chunk, int steps, IReadOnlyList<int> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var rows = trials.Count;
        if (chunk.Length != 3 * rows * steps)
        {
            throw new ArgumentException($"a chunk of {steps} steps of {rows} rows holds {3 * rows * steps} values, not {chunk.Length}", nameof(chunk));
        }

        for (var r = 0; r < rows; r++)
        {
            var b = trials[r];
            chunk.Slice(r * steps, steps).CopyTo(Loss[b].AsSpan(first));
            chunk.Slice((rows + r) * steps, steps).CopyTo(Slope[b].AsSpan(first));
            chunk.Slice(((2 * rows) + r) * steps, steps).CopyTo(Intercept[b].AsSpan(first));
        }
    }

    /// <summary>Marks a trial as stopped after <paramref name="iterations"/> iterations, with the loss at its parameters then.</summary>
    public void Stop(int trial, int iterations, float mse)
    {
        StoppedAt[trial] = iterations;
        FinalMse[trial] = mse;
    }

    /// <summary>Whether the trial's loss, slope or intercept was non-finite in its first <paramref name="iterations"/> iterations.</summary>
    public bool DivergedBefore(int trial, int iterations)
    {
        for (var i = 0; i < iterations; i++)
        {
            if (!float.IsFinite(Loss[trial][i]) || !float.IsFinite(Slope[trial][i]) || !float.IsFinite(Intercept[trial][i]))
            {
                return true;
            }
        }

        return false;
    }
}
