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
    /// Stores a chunk laid out [step, row, (loss, slope, intercept)] starting at iteration <paramref name="first"/>;
    /// row r of the chunk is trial <paramref name="trials"/>[r].
    /// </summary>
    public void Store(int first, ReadOnlySpan<float> chunk, int steps, IReadOnlyList<int> trials)
    {
        var rows = trials.Count;
        for (var s = 0; s < steps; s++)
        {
            for (var r = 0; r < rows; r++)
            {
                var b = trials[r];
                var at = ((s * rows) + r) * 3;
                Loss[b][first + s] = chunk[at];
                Slope[b][first + s] = chunk[at + 1];
                Intercept[b][first + s] = chunk[at + 2];
            }
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
