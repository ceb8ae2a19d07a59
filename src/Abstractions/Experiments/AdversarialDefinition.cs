using GradDescent.Abstractions.Parameters;

namespace GradDescent.Abstractions.Experiments;

/// <summary>Article Example 3: a sign-gradient attack on a dog-vs-cat CNN.</summary>
public static class AdversarialDefinition
{
    public const string Name = "adversarial";

    /// <summary>The article's attack: move every channel by exactly step/255 against the gradient's sign.</summary>
    public const string Sign = "sign";

    public static ExperimentDefinition Instance { get; } = new()
    {
        Name = Name,
        Description = "Adversarial attack on a dog-vs-cat convolutional network (article Example 3).",
        PrimaryMetric = "target_probability",
        Goal = MetricGoal.Maximize,
        StepMetric = "target_probability",
        EquivalenceTolerance = 0.001,
        ProblemParameters = ["image", "model", "target"],
        FusionParameters = ["model", "target", "optimizer", "iterations", "step", "budget"],
        UsesSeed = static parameters => !parameters.Has("image"),
        SeedUse = "draws the synthetic sample image when no image is given; with an image the attack is deterministic",
        FinalMetrics = ["target_probability", "p_cat", "p_dog", "original_target_probability", "flipped", "linf", "iterations_to_flip"],
        StepMetrics = ["target_probability", "p_cat", "p_dog"],
        SupportsEarlyStopping = true,
        PreferredDevice = Grains.DeviceKinds.Cuda,
        Parameters =
        [
            new() { Name = "image", Kind = ParameterKind.Path, Description = "Image to attack (JPEG/PNG/WebP); absent: a generated sample image of the synthetic stand-in set." },
            new() { Name = "model", Kind = ParameterKind.Path, Description = "Victim: a saved GradDescent model or Keras HDF5 weights (.h5); absent: the synthetic stand-in victim, trained once and cached." },
            new() { Name = "target", Kind = ParameterKind.Choice, Choices = ["dog", "cat"], Default = "dog", Description = "Class to push the image towards." },
            new() { Name = "optimizer", Kind = ParameterKind.Choice, Choices = [Sign, .. OptimizerCatalog.Names], Default = Sign, Description = "sign (the article's) or an optimizer on the perturbation, projected to the L-infinity budget." },
            new() { Name = "step", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Max = 255, Default = "1", Description = "Per-iteration change of each channel, in 1/255 units (sign attack)." },
            new() { Name = "iterations", Kind = ParameterKind.Integer, Min = 1, Max = 100_000, Default = "4", Description = "Attack iterations." },
            new() { Name = "learning_rate", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Default = "0.01", Description = "Step size of the optimizer-driven attack." },
            new() { Name = "budget", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Max = 255, Default = "8", Description = "L-infinity bound of the perturbation in 1/255 units (optimizer-driven attack)." },
            new() { Name = "keep_images", Kind = ParameterKind.Boolean, Default = "true", Description = "Store original.png and adversarial.png with the trial, so reports show them (about 2 × 40 KB per trial; identical originals are stored once per sweep)." },
            new() { Name = "out", Kind = ParameterKind.Path, PathUse = PathUse.WriteFolder, Description = "Folder to also write original.png and adversarial.png into; absent: no files are written." },
            .. OptimizerCatalog.HyperParameters,
        ],
    };
}
