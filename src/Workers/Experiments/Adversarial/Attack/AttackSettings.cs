using GradDescent.Abstractions.Experiments;

namespace GradDescent.Workers.Experiments.Adversarial.Attack;

/// <summary>What every trial of a fused attack group shares.</summary>
/// <param name="Target">Class the image is pushed towards.</param>
/// <param name="Optimizer"><c>sign</c> (the article's) or an optimizer name from <see cref="OptimizerCatalog.Names"/>.</param>
/// <param name="Step">Sign attack: per-iteration change of each channel, in 1/255 units.</param>
/// <param name="Iterations">Attack iterations.</param>
/// <param name="Budget">Optimizer attack: L∞ bound of the perturbation, in 1/255 units.</param>
public sealed record AttackSettings(PetClass Target, string Optimizer, double Step, int Iterations, double Budget)
{
    public bool IsSign => Optimizer == AdversarialDefinition.Sign;

    /// <summary>+1 pushes towards dog, −1 towards cat: the objective minimised is GradientDirection·(p_cat − p_dog).</summary>
    public float GradientDirection => Target == PetClass.Dog ? 1f : -1f;
}
