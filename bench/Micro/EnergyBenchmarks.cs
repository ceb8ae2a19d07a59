using BenchmarkDotNet.Attributes;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.VectorSpread;
using TorchSharp;

namespace GradDescent.Bench.Micro;

/// <summary>
/// The energy method through <see cref="VectorSpreadExperiment.RunFused"/>: 20 vectors in 3-D, its
/// defaults (Adam, decay 0.8 every 100, clipping at 10, s annealed from 1 to 1000) with one start per
/// trial and 1,000 iterations, so a trial does the same number of steps as the tangential-force rows.
/// </summary>
[MemoryDiagnoser]
public class EnergyBenchmarks
{
    private readonly VectorSpreadExperiment experiment = new();
    private IReadOnlyList<TrialInput> trials = [];

    [Params(1, 100)]
    public int Trials { get; set; }

    [GlobalSetup]
    public void Setup() => trials = SpreadBenchTrials.Energy(Trials);

    [Benchmark]
    public IReadOnlyList<TrialOutcome> RunFused() => experiment.RunFused(trials, torch.CPU, CancellationToken.None);

    [Benchmark]
    public IReadOnlyList<TrialOutcome> TensorProgram() =>
        experiment.Run(trials, torch.CPU, VectorSpreadExperiment.Program.Tensor, null, CancellationToken.None);
}
