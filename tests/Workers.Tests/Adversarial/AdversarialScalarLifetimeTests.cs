using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Files;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.Adversarial;
using GradDescent.Workers.Experiments.Adversarial.Images;
using GradDescent.Workers.Experiments.Adversarial.Synthetic;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using GradDescent.Workers.Tests.Devices;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.Adversarial;

/// <summary>
/// The adversarial workload under the Scalar finalizer race check of docs/torchsharp-notes.md: a
/// victim trained, then sign and Adam attacks fused and alone, once quietly and twice while another
/// thread collects and finalizes nonstop; every weight and probability must come out bit for bit the
/// same. This code used implicit Scalars until commit 9a655b7 removed them.
/// </summary>
[Collection(FinalizerPressureCollection.Name)]
public sealed class AdversarialScalarLifetimeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("graddescent-adv-pressure-").FullName;
    private readonly List<string> images;
    private int runs;

    public AdversarialScalarLifetimeTests()
    {
        // Given images: no synthetic draws to classify, so the test time goes to the attacks themselves.
        images = Enumerable.Range(0, 2).Select(seed =>
        {
            var path = Path.Combine(folder, $"cat-{seed}.png");
            ImageFiles.SavePng(SyntheticPets.Draw(PetClass.Cat, seed, 32), path);
            return path;
        }).ToList();
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void TrainAndAttackFusedAndAlone_UnderFinalizerPressure_SameBitsAsWithout()
    {
        var expected = Workload();
        using var pressure = FinalizerPressure.Start();
        for (var repetition = 0; repetition < 2; repetition++)
        {
            var actual = Workload();
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.True(
                    expected[i].Equals(actual[i]),
                    $"repetition {repetition}, value {i}: {actual[i]:R} under GC pressure, {expected[i]:R} without");
            }
        }

        Assert.True(pressure.Rounds > 0);
    }

    private List<double> Workload()
    {
        var options = new VictimTrainingOptions { ImageSize = 32, BaseWidth = 2, Epochs = 1, BatchSize = 4, Seed = 3, ValidationFraction = 0 };
        var training = VictimTrainer.Train(SyntheticPets.Dataset(12, 32, seed: 2), options, "pressure", CancellationToken.None);
        var path = Path.Combine(folder, $"victim-{runs++}.victim");
        using (var model = training.Model)
        {
            model.Save(path);
        }

        var values = new List<double>();
        using (var loaded = VictimModel.Load(path))
        {
            values.AddRange(loaded.Network.parameters().SelectMany(p => p.data<float>().ToArray()).Select(v => (double)v));
        }

        var experiment = new AdversarialExperiment(files: new FileGate(new FileAccessOptions { Roots = [folder] }));
        foreach (var optimizer in new[] { "sign", "adam" })
        {
            var trials = Enumerable.Range(0, 2)
                .Select(seed => new TrialInput(AdversarialDefinition.Instance.Bind(new Dictionary<string, object?>
                {
                    ["model"] = path,
                    ["image"] = images[seed],
                    ["optimizer"] = optimizer,
                    ["iterations"] = "2",
                    ["learning_rate"] = "0.004",
                }), seed))
                .ToList();
            var outcomes = experiment.RunFused(trials, torch.CPU, CancellationToken.None)
                .Concat(trials.Select(t => experiment.RunFused([t], torch.CPU, CancellationToken.None)[0]));
            values.AddRange(outcomes.SelectMany(o => o.History.SelectMany(s => s.Values)).Select(v => (double)v));
        }

        return values;
    }
}
