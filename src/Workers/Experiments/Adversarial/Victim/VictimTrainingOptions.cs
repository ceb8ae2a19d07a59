namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>How <see cref="VictimTrainer"/> trains a victim: network shape and Adam settings.</summary>
public sealed record VictimTrainingOptions
{
    /// <summary>Input size the images are resized to (the article's 128).</summary>
    public int ImageSize { get; init; } = VictimArchitecture.ArticleImageSize;

    /// <summary>Filters of the first convolution (the article's 32).</summary>
    public int BaseWidth { get; init; } = VictimArchitecture.ArticleBaseWidth;

    public int Epochs { get; init; } = 5;

    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's step size (Keras' default 0.001).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Seeds weight initialisation, dropout and the shuffling of images.</summary>
    public int Seed { get; init; }

    /// <summary>Share of the images held out to measure accuracy (0: none).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Use at most this many images of each class (null: all).</summary>
    public int? MaxImagesPerClass { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        _ = new VictimArchitecture(ImageSize, BaseWidth);
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 2, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        if (ValidationFraction is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "must be in [0, 1)");
        }

        if (MaxImagesPerClass is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(MaxImagesPerClass));
        }
    }
}
