using BenchmarkDotNet.Attributes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.Adversarial;
using GradDescent.Workers.Experiments.Adversarial.Synthetic;
using TorchSharp;

namespace GradDescent.Bench.Micro;

/// <summary>
/// Article Example 3 through <see cref="AdversarialExperiment.RunFused"/>: one sign-gradient iteration
/// (step 1/255, towards dog) on the article-size network (128×128×3 input, base width 32, 512-unit
/// dense layer), batch 1 and 32. The victim's weights do not change the cost, so it is the synthetic
/// stand-in trained briefly (40 images, 1 epoch) and cached in <c>$GradDescent__Worker__CacheFolder</c>
/// (the worker's cache setting; bench/run.sh sets it).
/// </summary>
public class AdversarialBenchmarks
{
    private AdversarialExperiment experiment = new();
    private IReadOnlyList<TrialInput> trials = [];

    [Params(1, 32)]
    public int Trials { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        experiment = new AdversarialExperiment(
            recipe: new SyntheticVictimRecipe { Images = 40, Epochs = 1 },
            cacheFolder: Environment.GetEnvironmentVariable("GradDescent__Worker__CacheFolder"));
        trials = TrialBatches.Bind(AdversarialDefinition.Instance, Trials, _ => new Dictionary<string, object?>
        {
            ["target"] = "dog",
            ["optimizer"] = AdversarialDefinition.Sign,
            ["step"] = "1",
            ["iterations"] = "1",
        });
        experiment.RunFused(trials, torch.CPU, CancellationToken.None);
    }

    [Benchmark]
    public IReadOnlyList<TrialOutcome> RunFused() => experiment.RunFused(trials, torch.CPU, CancellationToken.None);
}
