using System.Globalization;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments.Adversarial.Images;
using GradDescent.Workers.Experiments.Adversarial.Synthetic;
using GradDescent.Workers.Experiments.Adversarial.Victim;

namespace GradDescent.Workers.Experiments.Adversarial;

/// <summary>The image one trial attacks, at the victim's input size, and how reports name it.</summary>
/// <param name="Image">8-bit original as the victim sees it.</param>
/// <param name="Name">The file's full path, or "synthetic sample (seed N, class cat)".</param>
public sealed record AttackSubject(RgbImage Image, string Name)
{
    /// <summary>
    /// Loads the trial's <c>image</c>, or draws a synthetic sample of the class opposite to the
    /// target (deterministic from the seed) when it has none. With a <paramref name="victim"/>, the
    /// synthetic sample is the first of up to <see cref="MaxDraws"/> draws that the victim classifies
    /// correctly, so the attack has a correct label to flip (the first draw when none is).
    /// </summary>
    /// <exception cref="ParameterException">The image may not or cannot be read (parameter <c>image</c>, naming the file).</exception>
    public static AttackSubject Resolve(ParameterSet parameters, FileGate files, int seed, PetClass target, int size, VictimModel? victim = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(files);
        if (parameters.GetTextOrNull(ImageParameter) is { } path)
        {
            var file = files.ResolveInput(ImageParameter, path);
            try
            {
                return new AttackSubject(ImageFiles.Decode(files.ReadAllBytes(file), path, size), file.FullPath);
            }
            catch (InvalidDataException e)
            {
                throw new ParameterException(ImageParameter, e.Message);
            }
        }

        var pet = target == PetClass.Dog ? PetClass.Cat : PetClass.Dog;
        var className = pet.ToString().ToLowerInvariant();
        var first = SyntheticPets.Draw(pet, SyntheticPets.MixSeed(seed, DrawSalt), size);
        for (var draw = 0; victim is not null && draw < MaxDraws; draw++)
        {
            var image = draw == 0 ? first : SyntheticPets.Draw(pet, SyntheticPets.MixSeed(seed, DrawSalt + draw), size);
            if (Classify(victim, image) == pet)
            {
                return new AttackSubject(image, draw == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"synthetic sample (seed {seed}, class {className})")
                    : string.Create(CultureInfo.InvariantCulture, $"synthetic sample (seed {seed}, draw {draw}, class {className})"));
            }
        }

        return new AttackSubject(first, string.Create(CultureInfo.InvariantCulture, $"synthetic sample (seed {seed}, class {className})"));
    }

    public const string ImageParameter = "image";

    /// <summary>How many synthetic draws are tried for one the victim classifies correctly.</summary>
    public const int MaxDraws = 32;

    private const int DrawSalt = 0x5a4d;

    private static PetClass Classify(VictimModel victim, RgbImage image)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var levels = image.ToLevels().unsqueeze(0).to(victim.Network.parameters().First().device);
        var probabilities = victim.Probabilities(levels.div(ImageScalars.MaxLevel)).cpu();
        return probabilities[0, (long)PetClass.Dog].item<float>() > probabilities[0, (long)PetClass.Cat].item<float>() ? PetClass.Dog : PetClass.Cat;
    }
}
