using GradDescent.Workers.Experiments.Adversarial.Images;

namespace GradDescent.Workers.Experiments.Adversarial.Attack;

/// <summary>What one image's attack did.</summary>
/// <param name="Probabilities">[p_cat, p_dog] before the attack (index 0) and after each iteration.</param>
/// <param name="Adversarial">The final adversarial image quantised to 8 bits.</param>
/// <param name="QuantizedProbabilities">[p_cat, p_dog] of <paramref name="Adversarial"/> as the victim sees it after quantisation.</param>
/// <param name="StoppedAt">The iteration the early-stopping plan stopped the attack at (the probabilities end there), or null.</param>
public sealed record AttackTrace(IReadOnlyList<float[]> Probabilities, RgbImage Adversarial, float[] QuantizedProbabilities, int? StoppedAt = null);
