using BenchmarkDotNet.Attributes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.VectorSpread;
using TorchSharp;

namespace GradDescent.Bench.Micro;

/// <summary>
/// Article Example 2 through <see cref="VectorSpreadExperiment.RunFused"/>: 20 vectors in 3-D,
/// tangential-force objective, the article's ascent rule, 1,000 iterations, full outcomes included.
/// </summary>
public class VectorSpreadBenchmarks
{
    private readonly VectorSpreadExperiment experiment = new();
    private IReadOnlyList<TrialInput> trials = [];

    [Params(1, 10, 100, 1000)]
    public int Trials { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        trials = TrialBatches.Bind(VectorSpreadDefinition.Instance, Trials, i => new Dictionary<string, object?>
        {
            ["vectors"] = "20",
            ["dims"] = "3",
            ["method"] = VectorSpreadDefinition.TangentialForce,
            ["optimizer"] = VectorSpreadDefinition.Ascent,
            ["iterations"] = "1000",
            ["learning_rate"] = TrialBatches.LearningRate(0.01, i, Trials),
        });
    }

    [Benchmark]
    public IReadOnlyList<TrialOutcome> RunFused() => experiment.RunFused(trials, torch.CPU, CancellationToken.None);
}
