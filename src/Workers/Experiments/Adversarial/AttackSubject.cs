using System.Globalization;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments.Adversarial.Images;
using GradDescent.Workers.Experiments.Adversarial.Synthetic;

namespace GradDescent.Workers.Experiments.Adversarial;

/// <summary>The image one trial attacks, at the victim's input size, and how reports name it.</summary>
/// <param name="Image">8-bit original as the victim sees it.</param>
/// <param name="Name">The file's full path, or "synthetic sample (seed N, class cat)".</param>
public sealed record AttackSubject(RgbImage Image, string Name)
{
    /// <summary>
    /// Loads the trial's <c>image</c>, or draws a synthetic sample of the class opposite to the
    /// target (deterministic from the seed) when it has none.
    /// </summary>
    /// <exception cref="ParameterException">The image cannot be read (parameter <c>image</c>, naming the file).</exception>
    public static AttackSubject Resolve(ParameterSet parameters, int seed, PetClass target, int size)
    {
        if (parameters.GetTextOrNull("image") is { } path)
        {
            try
            {
                return new AttackSubject(ImageFiles.Load(path, size), Path.GetFullPath(path));
            }
            catch (InvalidDataException e)
            {
                throw new ParameterException("image", e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ParameterException("image", $"cannot read image file '{Path.GetFullPath(path)}': {e.Message}");
            }
        }

        var pet = target == PetClass.Dog ? PetClass.Cat : PetClass.Dog;
        var name = string.Create(CultureInfo.InvariantCulture, $"synthetic sample (seed {seed}, class {pet.ToString().ToLowerInvariant()})");
        return new AttackSubject(SyntheticPets.Draw(pet, SyntheticPets.MixSeed(seed, 0x5a4d), size), name);
    }
}
