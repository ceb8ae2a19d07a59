namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// What a fused run computed, copied to the host, indexed [trial][iteration]: the loss computed at
/// the start of each iteration (before its update) and the slope and intercept after its update;
/// <see cref="FinalMse"/> is the loss at the returned parameters.
/// </summary>
internal sealed record LinearRegressionTrajectories(float[][] Loss, float[][] Slope, float[][] Intercept, float[] FinalMse)
{
    public static LinearRegressionTrajectories Allocate(int trials, int iterations)
    {
        static float[][] Series(int trials, int iterations) =>
            Enumerable.Range(0, trials).Select(_ => new float[iterations]).ToArray();

        return new(Series(trials, iterations), Series(trials, iterations), Series(trials, iterations), new float[trials]);
    }

    /// <summary>Stores a chunk laid out [step, trial, (loss, slope, intercept)] starting at iteration <paramref name="first"/>.</summary>
    public void Store(int first, ReadOnlySpan<float> chunk, int steps)
    {
        var trials = Loss.Length;
        for (var s = 0; s < steps; s++)
        {
            for (var b = 0; b < trials; b++)
            {
                var at = ((s * trials) + b) * 3;
                Loss[b][first + s] = chunk[at];
                Slope[b][first + s] = chunk[at + 1];
                Intercept[b][first + s] = chunk[at + 2];
            }
        }
    }
}
