using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GradDescent.Workers.Experiments.Adversarial.Victim;

namespace GradDescent.Workers.Experiments.Adversarial.Synthetic;

/// <summary>
/// How the synthetic stand-in victim is made: which generated images, which network, how trained.
/// Its <see cref="Key"/> names the cached file, so any change (or a new <see cref="SyntheticPets.RecipeVersion"/>) retrains.
/// </summary>
public sealed record SyntheticVictimRecipe
{
    /// <summary>
    /// Bump when training changes in a way the other fields do not show (2: Adam, seeded generator,
    /// matrix-product convolutions; 3: libtorch's convolutions, which round differently), so victims
    /// cached by older builds are retrained.
    /// </summary>
    public const int TrainerVersion = 3;

    /// <summary>The default victim: the article's full-size network on 192 generated 128×128 images (20% held out), 2 epochs of Adam in batches of 16.</summary>
    public static SyntheticVictimRecipe Default { get; } = new();

    public int ImageSize { get; init; } = VictimArchitecture.ArticleImageSize;

    public int BaseWidth { get; init; } = VictimArchitecture.ArticleBaseWidth;

    public int Images { get; init; } = 192;

    public int Epochs { get; init; } = 2;

    public int BatchSize { get; init; } = 16;

    public double LearningRate { get; init; } = 1e-3;

    public int Seed { get; init; } = 20_190_101;

    /// <summary>Short hash of the recipe and the drawing version, e.g. <c>3f9a0c12d4e1</c>.</summary>
    public string Key
    {
        get
        {
            var text = string.Create(CultureInfo.InvariantCulture,
                $"pets-v{SyntheticPets.RecipeVersion};trainer-v{TrainerVersion};size={ImageSize};width={BaseWidth};images={Images};epochs={Epochs};batch={BatchSize};lr={LearningRate:R};seed={Seed}");
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        }
    }

    public VictimTrainingOptions TrainingOptions => new()
    {
        ImageSize = ImageSize,
        BaseWidth = BaseWidth,
        Epochs = Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        Seed = Seed,
        ValidationFraction = 0.2,
    };
}
