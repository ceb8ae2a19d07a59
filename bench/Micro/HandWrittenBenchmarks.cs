using BenchmarkDotNet.Attributes;
using GradDescent.Workers.Experiments.LinearRegression;

namespace GradDescent.Bench.Micro;

/// <summary>
/// The practical limit for Example 1 on this CPU: the same trials as <see cref="LinearRegressionBenchmarks"/>
/// (gd, 50 iterations, same data, same starting point and learning rates, every step's loss, slope and
/// intercept kept) computed by a hand-written float32 loop with analytic gradients, one trial after another.
/// </summary>
[MemoryDiagnoser]
public class HandWrittenBenchmarks
{
    private const int Iterations = 50;

    private float[] heights = [];
    private float[] weights = [];
    private float startSlope;

    [Params(1, 1000)]
    public int Trials { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = SyntheticHeightWeight.Data;
        heights = [.. data.Heights];
        weights = [.. data.Weights];
        startSlope = (float)data.Exact.Slope;
    }

    [Benchmark(Baseline = true)]
    public float Scalar() => RunAll(HandWrittenLinearRegression.RunScalar);

    [Benchmark]
    public float Simd() => RunAll(HandWrittenLinearRegression.RunSimd);

    private float RunAll(HandWrittenLinearRegression.Runner run)
    {
        var checksum = 0f;
        for (var t = 0; t < Trials; t++)
        {
            var learningRate = (float)(1e-5 * (1.0 + ((double)t / Trials)));
            var history = new HandWrittenLinearRegression.History(Iterations);
            checksum += run(heights, weights, startSlope, -180f, learningRate, 1f, history);
        }

        return checksum;
    }
}
