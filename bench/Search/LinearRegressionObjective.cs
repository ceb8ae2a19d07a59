using GradDescent.Abstractions.Parameters;
using GradDescent.Sweeps.Tests.Search;

namespace GradDescent.Bench.Search;

/// <summary>
/// The adaptive-search end-to-end problem (bench/python/search_e2e.py) as a closed form, so the samplers can be
/// compared on it over many seeds without workers or a database: linear regression on the synthetic height/weight
/// data (SyntheticHeightWeight's SplitMix64 + Box-Muller stream), 50 iterations from the exact slope and intercept
/// −180, float32 arithmetic with the update rules of bench/python/optuna_sweep.py (gd, momentum, rmsprop, adam).
/// The value is the final mean squared error; a run that overflows is NaN (diverged, ranked worst).
/// </summary>
internal static class LinearRegressionObjective
{
    private const int Iterations = 50;

    private static readonly (float[] Heights, float[] Weights, float Slope, double ExactMse) Data = Build();

    /// <summary>The exact least-squares mean squared error: the problem's minimum.</summary>
    public static double Minimum => Data.ExactMse;

    public static SyntheticObjectives.Problem Problem { get; } = new(
        "linreg",
        """
            optimizer: {choice: [gd, momentum, rmsprop, adam]}
            learning_rate: {log_uniform: [1.0e-6, 1.0]}
        """,
        p => FinalMse(p.GetText("optimizer"), p.GetDouble("learning_rate")),
        Data.ExactMse);

    public static double FinalMse(string optimizer, double learningRate) => Run(optimizer, learningRate, null);

    /// <summary>The loss before each of the 50 iterations (the experiment's <c>loss</c> step series) and the final mse.</summary>
    public static (float[] Losses, double Final) Series(string optimizer, double learningRate)
    {
        var losses = new float[Iterations];
        var final = Run(optimizer, learningRate, losses);
        return (losses, final);
    }

    private static double Run(string optimizer, double learningRate, float[]? losses)
    {
        var (h, w, slope, _) = Data;
        var n = h.Length;
        float p0 = slope, p1 = -180f, m0 = 0, m1 = 0, v0 = 0, v1 = 0;
        const float b1 = 0.9f, b2 = 0.999f, eps = 1e-7f;
        var lr = (float)learningRate;
        for (var t = 1; t <= Iterations; t++)
        {
            float g0 = 0, g1 = 0, loss = 0;
            for (var i = 0; i < n; i++)
            {
                var r = (p0 * h[i]) + p1 - w[i];
                g0 += r * h[i];
                g1 += r;
                loss += r * r;
            }

            if (losses is not null)
            {
                losses[t - 1] = loss / n;
            }

            g0 = 2 * g0 / n;
            g1 = 2 * g1 / n;
            switch (optimizer)
            {
                case "gd":
                    p0 -= lr * g0;
                    p1 -= lr * g1;
                    break;
                case "momentum":
                    m0 = (0.9f * m0) - (lr * g0);
                    m1 = (0.9f * m1) - (lr * g1);
                    p0 += m0;
                    p1 += m1;
                    break;
                case "rmsprop":
                    v0 = (0.9f * v0) + (0.1f * g0 * g0);
                    v1 = (0.9f * v1) + (0.1f * g1 * g1);
                    p0 -= lr * g0 / (MathF.Sqrt(v0) + eps);
                    p1 -= lr * g1 / (MathF.Sqrt(v1) + eps);
                    break;
                default:
                    m0 = (b1 * m0) + ((1 - b1) * g0);
                    m1 = (b1 * m1) + ((1 - b1) * g1);
                    v0 = (b2 * v0) + ((1 - b2) * g0 * g0);
                    v1 = (b2 * v1) + ((1 - b2) * g1 * g1);
                    var alpha = lr * MathF.Sqrt(1 - MathF.Pow(b2, t)) / (1 - MathF.Pow(b1, t));
                    p0 -= alpha * m0 / (MathF.Sqrt(v0) + eps);
                    p1 -= alpha * m1 / (MathF.Sqrt(v1) + eps);
                    break;
            }
        }

        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            var r = (p0 * h[i]) + p1 - w[i];
            sum += r * r;
        }

        var mse = sum / n;
        return double.IsFinite(mse) ? mse : double.NaN;
    }

    private static (float[], float[], float, double) Build()
    {
        var state = 0x6772616464657363UL;
        double Uniform()
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }

        double Normal()
        {
            var u = Uniform();
            var v = Uniform();
            return Math.Sqrt(-2.0 * Math.Log(1.0 - u)) * Math.Cos(2.0 * Math.PI * v);
        }

        var heights = new double[150];
        var weights = new double[150];
        for (var i = 0; i < heights.Length; i++)
        {
            heights[i] = Math.Round(69.0 + (2.9 * Normal()), 2);
            weights[i] = Math.Round((6.0 * heights[i]) - 220.0 + (10.0 * Normal()), 2);
        }

        var mx = heights.Average();
        var my = weights.Average();
        var sxx = heights.Sum(x => (x - mx) * (x - mx));
        var sxy = heights.Zip(weights).Sum(p => (p.First - mx) * (p.Second - my));
        var slope = sxy / sxx;
        var intercept = my - (slope * mx);
        var mse = heights.Zip(weights).Sum(p => Math.Pow((slope * p.First) + intercept - p.Second, 2)) / heights.Length;
        return (Array.ConvertAll(heights, x => (float)x), Array.ConvertAll(weights, x => (float)x), (float)slope, mse);
    }
}
