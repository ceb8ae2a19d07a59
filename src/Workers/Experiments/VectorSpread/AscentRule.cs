using GradDescent.Workers.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>The article's rule, per trial: <c>v += lr * grad</c>, with <c>lr *= lr_decay</c> on each decay.</summary>
/// <param name="learningRate">[B] learning rates; owned and updated in place.</param>
/// <param name="decay">[B] decay factors; owned.</param>
internal sealed class AscentRule(Tensor learningRate, Tensor decay) : ISpreadUpdateRule
{
    public void Step(Tensor vectors, Tensor ascentGradient)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        vectors.PlusInPlace(ascentGradient * learningRate.view(-1, 1, 1));
    }

    public void Decay() => learningRate.mul_(decay);

    public void Dispose()
    {
        learningRate.Dispose();
        decay.Dispose();
    }
}
