using BenchmarkDotNet.Attributes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments.LinearRegression;
using GradDescent.Workers.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Bench.Micro;

/// <summary>
/// Where the time of a fused linear-regression group goes: the same tensor program as
/// <c>LinearRegressionBatch</c> (public <see cref="LinearRegressionProblem"/> and the batched gd optimizer,
/// [B, 2] parameters, history kept on the device and copied to the host once), without building
/// outcomes (metrics, step series, result documents). The gap to <see cref="LinearRegressionBenchmarks"/>
/// is what turning results into outcomes costs.
/// </summary>
[MemoryDiagnoser]
public class TensorProgramBenchmarks
{
    private const int Iterations = 50;

    private List<ParameterSet> parameters = [];
    private LinearRegressionProblem? problem;
    private float[] start = [];

    [Params(1000)]
    public int Trials { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        parameters = TrialBatches.Bind(LinearRegressionDefinition.Instance, Trials, i => new Dictionary<string, object?>
        {
            ["optimizer"] = "gd",
            ["iterations"] = "50",
            ["init_intercept"] = "-180",
            ["learning_rate"] = TrialBatches.LearningRate(1e-5, i, Trials),
        }).Select(t => t.Parameters).ToList();
        var data = SyntheticHeightWeight.Data;
        problem = new LinearRegressionProblem(data, CPU);
        start = new float[Trials * 2];
        for (var b = 0; b < Trials; b++)
        {
            start[2 * b] = (float)data.Exact.Slope;
            start[(2 * b) + 1] = -180f;
        }

        Run();
    }

    [GlobalCleanup]
    public void Cleanup() => problem?.Dispose();

    [Benchmark]
    public float Run()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var optimizer = BatchedOptimizerFactory.Create("gd", parameters, CPU);
        var theta = tensor(start, [Trials, 2]);
        // As the experiment does: the parameters before each step are kept on the device, and the
        // losses of all steps come from one call at the end (the loss is a closed-form quadratic).
        var before = empty([Iterations, Trials, 2]);
        var thetas = new[] { theta };
        for (var s = 0; s < Iterations; s++)
        {
            using var step = NewDisposeScope();
            before[s].copy_(theta);
            var gradient = problem!.Gradient(theta);
            optimizer.Step(thetas, [gradient]);
        }

        var losses = problem!.Loss(before);
        var host = losses.data<float>().ToArray();
        return host[^1];
    }
}
