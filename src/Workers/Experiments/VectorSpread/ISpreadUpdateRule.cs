using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>How a fused group of vector sets moves along the gradient of the objective it maximises.</summary>
internal interface ISpreadUpdateRule : IDisposable
{
    /// <summary>Updates <paramref name="vectors"/> [B, N, D] in place from the (clipped) objective gradient.</summary>
    void Step(Tensor vectors, Tensor ascentGradient);

    /// <summary>Multiplies each trial's learning rate by its lr_decay (called every lr_decay_every iterations).</summary>
    void Decay();
}
