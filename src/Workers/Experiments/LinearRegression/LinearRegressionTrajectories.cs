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

    /// <summary>
    /// Stores a chunk laid out [series (loss, slope, intercept), trial, step] holding <paramref name="steps"/> steps
    /// from iteration <paramref name="first"/> on.
    /// </summary>
    public void Store(int first, ReadOnlySpan<float> chunk, int steps)
    {
        var trials = Loss.Length;
        if (chunk.Length != 3 * trials * steps)
        {
            throw new ArgumentException($"a chunk of {steps} steps of {trials} trials holds {3 * trials * steps} values, not {chunk.Length}", nameof(chunk));
        }

        for (var b = 0; b < trials; b++)
        {
            chunk.Slice(b * steps, steps).CopyTo(Loss[b].AsSpan(first));
            chunk.Slice((trials + b) * steps, steps).CopyTo(Slope[b].AsSpan(first));
            chunk.Slice(((2 * trials) + b) * steps, steps).CopyTo(Intercept[b].AsSpan(first));
        }
    }
}
