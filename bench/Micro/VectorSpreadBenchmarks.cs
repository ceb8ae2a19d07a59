using BenchmarkDotNet.Attributes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.VectorSpread;
using TorchSharp;

namespace GradDescent.Bench.Micro;

/// <summary>
/// Article Example 2 through <see cref="VectorSpreadExperiment.RunFused"/>: 20 vectors in 3-D, the
/// tangential-force objective with the article's rule and settings (its defaults: ascent, decay 0.7
/// every 100, clipping at 200; learning rates spread over [0.001, 0.002)), 1,000 iterations, full
/// outcomes included. On the CPU this runs the hand-written kernel; <see cref="TensorProgram"/> runs
/// the same trials through the libtorch tensor program (autograd) for comparison.
/// </summary>
[MemoryDiagnoser]
public class VectorSpreadBenchmarks
{
    private readonly VectorSpreadExperiment experiment = new();
    private IReadOnlyList<TrialInput> trials = [];

    [Params(1, 10, 100, 1000)]
    public int Trials { get; set; }

    [GlobalSetup]
    public void Setup() => trials = SpreadBenchTrials.TangentialForce(Trials);

    [Benchmark]
    public IReadOnlyList<TrialOutcome> RunFused() => experiment.RunFused(trials, torch.CPU, CancellationToken.None);

    /// <summary>The same group through the tensor program (what a GPU worker, or another optimizer, runs).</summary>
    [Benchmark]
    public IReadOnlyList<TrialOutcome> TensorProgram() =>
        experiment.Run(trials, torch.CPU, VectorSpreadExperiment.Program.Tensor, null, CancellationToken.None);
}
