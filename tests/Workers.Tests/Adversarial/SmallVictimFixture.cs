using GradDescent.Workers.Experiments.Adversarial.Synthetic;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using Xunit;

namespace GradDescent.Workers.Tests.Adversarial;

/// <summary>A reduced victim (32×32 input, base width 4) trained once on generated images and saved to a temp folder.</summary>
public sealed class SmallVictimFixture : IDisposable
{
    public const int ImageSize = 32;

    public const int BaseWidth = 4;

    public SmallVictimFixture()
    {
        Folder = Directory.CreateTempSubdirectory("graddescent-adv-").FullName;
        var images = SyntheticPets.Dataset(240, ImageSize, seed: 7);
        var options = new VictimTrainingOptions { ImageSize = ImageSize, BaseWidth = BaseWidth, Epochs = 8, BatchSize = 16, LearningRate = 1e-3, Seed = 11, ValidationFraction = 0.25 };
        Training = VictimTrainer.Train(images, options, "test victim", CancellationToken.None);
        ModelPath = Path.Combine(Folder, "small.victim");
        Training.Model.Save(ModelPath);
    }

    public string Folder { get; }

    public string ModelPath { get; }

    public VictimTrainingResult Training { get; }

    public void Dispose()
    {
        Training.Model.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SmallVictimCollection : ICollectionFixture<SmallVictimFixture>
{
    public const string Name = "small adversarial victim";
}
