using BenchmarkDotNet.Attributes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.LinearRegression;
using TorchSharp;

namespace GradDescent.Bench.Micro;

/// <summary>
/// Article Example 1 through <see cref="LinearRegressionExperiment.RunFused"/>: gd, 50 iterations from
/// (exact slope, intercept -180) on the built-in 150-point sample, full outcomes (metrics, step series,
/// result document) included. Trials = 1 is one trial at a time; larger values are one fused group.
/// </summary>
[MemoryDiagnoser]
public class LinearRegressionBenchmarks
{
    private readonly LinearRegressionExperiment experiment = new();
    private IReadOnlyList<TrialInput> trials = [];

    [Params(1, 10, 100, 1000)]
    public int Trials { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        trials = TrialBatches.Bind(LinearRegressionDefinition.Instance, Trials, i => new Dictionary<string, object?>
        {
            ["optimizer"] = "gd",
            ["iterations"] = "50",
            ["init_intercept"] = "-180",
            ["learning_rate"] = TrialBatches.LearningRate(1e-5, i, Trials),
        });
        experiment.RunFused(trials, torch.CPU, CancellationToken.None);
    }

    [Benchmark]
    public IReadOnlyList<TrialOutcome> RunFused() => experiment.RunFused(trials, torch.CPU, CancellationToken.None);
}
