using System.Globalization;
using BenchmarkDotNet.Attributes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Files;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.Adversarial;
using GradDescent.Workers.Experiments.Adversarial.Images;
using GradDescent.Workers.Experiments.Adversarial.Synthetic;
using TorchSharp;

namespace GradDescent.Bench.Micro;

/// <summary>
/// Article Example 3 through <see cref="AdversarialExperiment.RunFused"/>: one sign-gradient iteration
/// (step 1/255, towards dog) on the article-size network (128×128×3 input, base width 32, 512-unit
/// dense layer), batch 1 and 32, each trial attacking its own 128×128 PNG (generated cats written once
/// in setup), as the PyTorch peer (bench/python/workloads.py) attacks given images. The victim's weights
/// do not change the cost, so it is the synthetic stand-in trained briefly (40 images, 1 epoch) and
/// cached in <c>$GradDescent__Worker__CacheFolder</c>
/// (the worker's cache setting; bench/run.sh sets it).
/// </summary>
public class AdversarialBenchmarks
{
    private AdversarialExperiment experiment = new();
    private IReadOnlyList<TrialInput> trials = [];
    private string folder = "";

    [Params(1, 32)]
    public int Trials { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("graddescent-bench-adv-").FullName;
        var images = Enumerable.Range(0, Trials).Select(i =>
        {
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"cat-{i}.png"));
            ImageFiles.SavePng(SyntheticPets.Draw(PetClass.Cat, i, 128), path);
            return path;
        }).ToList();
        experiment = new AdversarialExperiment(
            recipe: new SyntheticVictimRecipe { Images = 40, Epochs = 1 },
            cacheFolder: Environment.GetEnvironmentVariable("GradDescent__Worker__CacheFolder"),
            files: new FileGate(new FileAccessOptions { Roots = [folder] }));
        trials = TrialBatches.Bind(AdversarialDefinition.Instance, Trials, i => new Dictionary<string, object?>
        {
            ["image"] = images[i],
            ["target"] = "dog",
            ["optimizer"] = AdversarialDefinition.Sign,
            ["step"] = "1",
            ["iterations"] = "1",
        });
        experiment.RunFused(trials, torch.CPU, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark]
    public IReadOnlyList<TrialOutcome> RunFused() => experiment.RunFused(trials, torch.CPU, CancellationToken.None);
}
