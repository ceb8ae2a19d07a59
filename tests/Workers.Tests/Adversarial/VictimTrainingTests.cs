using GradDescent.Workers.Experiments.Adversarial;
using GradDescent.Workers.Experiments.Adversarial.Images;
using GradDescent.Workers.Experiments.Adversarial.Synthetic;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.Adversarial;

[Collection(SmallVictimCollection.Name)]
public sealed class VictimTrainingTests(SmallVictimFixture fixture)
{
    [Fact]
    public void Train_GeneratedPets_ClassifiesHeldOutImages()
    {
        Assert.True(fixture.Training.ValidationAccuracy >= 0.85, $"validation accuracy {fixture.Training.ValidationAccuracy}");
        Assert.Equal(180, fixture.Training.TrainImages);
        Assert.Equal(60, fixture.Training.ValidationImages);
    }

    [Fact]
    public void Train_SameSeedTwice_GivesBitIdenticalWeightsAndStatistics()
    {
        var images = SyntheticPets.Dataset(48, 32, seed: 5);
        var options = new VictimTrainingOptions { ImageSize = 32, BaseWidth = 2, Epochs = 2, BatchSize = 8, Seed = 9, ValidationFraction = 0 };

        using var first = VictimTrainer.Train(images, options, "first", CancellationToken.None).Model;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var second = VictimTrainer.Train(images, options, "second", CancellationToken.None).Model;

        var expected = first.Network.state_dict();
        var actual = second.Network.state_dict();
        Assert.Equal(expected.Keys, actual.Keys);
        Assert.All(expected, entry => Assert.True(entry.Value.eq(actual[entry.Key]).all().item<bool>(), $"{entry.Key} differs"));
        Assert.True(expected["conv1.weight"].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Train_DifferentSeeds_GiveDifferentWeights()
    {
        var images = SyntheticPets.Dataset(16, 32, seed: 5);
        var options = new VictimTrainingOptions { ImageSize = 32, BaseWidth = 2, Epochs = 1, BatchSize = 8, Seed = 1, ValidationFraction = 0 };

        using var first = VictimTrainer.Train(images, options, "first", CancellationToken.None).Model;
        using var second = VictimTrainer.Train(images, options with { Seed = 2 }, "second", CancellationToken.None).Model;

        Assert.False(first.Network.state_dict()["conv1.weight"].eq(second.Network.state_dict()["conv1.weight"]).all().item<bool>());
    }

    [Fact]
    public void SaveLoad_RoundTrip_SameArchitectureDescriptionAndOutputs()
    {
        using var loaded = VictimModel.Load(fixture.ModelPath);
        Assert.Equal(new VictimArchitecture(SmallVictimFixture.ImageSize, SmallVictimFixture.BaseWidth), loaded.Architecture);
        Assert.Equal(fixture.Training.Model.Description, loaded.Description);
        using var scope = torch.NewDisposeScope();
        torch.random.manual_seed(3);
        var images = torch.rand(5, 3, SmallVictimFixture.ImageSize, SmallVictimFixture.ImageSize);
        var expected = fixture.Training.Model.Probabilities(images).data<float>().ToArray();
        var actual = loaded.Probabilities(images).data<float>().ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Load_NotAVictimFile_ThrowsNamingTheFile()
    {
        var path = Path.Combine(fixture.Folder, "garbage.victim");
        File.WriteAllText(path, "definitely not a model");
        var error = Assert.Throws<InvalidDataException>(() => VictimModel.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_KaggleNaming_LabelsByFilePrefix()
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Folder, "kaggle")).FullName;
        WritePets(folder, n => $"cat.{n}.png", PetClass.Cat, 3);
        WritePets(folder, n => $"dog.{n}.jpg", PetClass.Dog, 2);
        File.WriteAllText(Path.Combine(folder, "readme.txt"), "not an image");

        var found = LabelledImageFolder.Scan(folder);

        Assert.Equal(3, found.Count(f => f.Label == PetClass.Cat && Path.GetFileName(f.Path).StartsWith("cat.", StringComparison.Ordinal)));
        Assert.Equal(2, found.Count(f => f.Label == PetClass.Dog && Path.GetFileName(f.Path).StartsWith("dog.", StringComparison.Ordinal)));
        Assert.Equal(5, found.Count);
    }

    [Fact]
    public void Train_SubfolderLayout_TrainsOnBothClasses()
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Folder, "subfolders")).FullName;
        WritePets(Directory.CreateDirectory(Path.Combine(folder, "cat")).FullName, n => $"{n}.png", PetClass.Cat, 4);
        WritePets(Directory.CreateDirectory(Path.Combine(folder, "Dog")).FullName, n => $"img{n}.jpeg", PetClass.Dog, 4);

        var found = LabelledImageFolder.Scan(folder);
        var options = new VictimTrainingOptions { ImageSize = 32, BaseWidth = 2, Epochs = 1, BatchSize = 4, ValidationFraction = 0 };
        var result = VictimTrainer.Train(folder, options, CancellationToken.None);
        using var model = result.Model;

        Assert.Equal(4, found.Count(f => f.Label == PetClass.Cat));
        Assert.Equal(4, found.Count(f => f.Label == PetClass.Dog));
        Assert.Equal(8, result.TrainImages);
        Assert.Null(result.ValidationAccuracy);
        Assert.Equal(new VictimArchitecture(32, 2), model.Architecture);
        Assert.StartsWith($"trained on {folder}", model.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_NoDogImages_ThrowsNamingFolderAndClass()
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Folder, "cats-only")).FullName;
        WritePets(folder, n => $"cat.{n}.png", PetClass.Cat, 2);

        var error = Assert.Throws<ArgumentException>(() => LabelledImageFolder.Scan(folder));

        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("no dog images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_UnreadableImageInFolder_ThrowsNamingTheFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Folder, "broken")).FullName;
        WritePets(folder, n => $"cat.{n}.png", PetClass.Cat, 2);
        WritePets(folder, n => $"dog.{n}.png", PetClass.Dog, 2);
        var broken = Path.Combine(folder, "dog.99.jpg");
        File.WriteAllText(broken, "not a jpeg");
        var options = new VictimTrainingOptions { ImageSize = 32, BaseWidth = 2, Epochs = 1, BatchSize = 4, ValidationFraction = 0 };

        var error = Assert.Throws<InvalidDataException>(() => VictimTrainer.Train(folder, options, CancellationToken.None));

        Assert.Contains(broken, error.Message, StringComparison.Ordinal);
    }

    private static void WritePets(string folder, Func<int, string> name, PetClass pet, int count)
    {
        for (var n = 0; n < count; n++)
        {
            var image = SyntheticPets.Draw(pet, 100 + n, 48);
            ImageFiles.SavePng(image, Path.Combine(folder, name(n)));
        }
    }
}
