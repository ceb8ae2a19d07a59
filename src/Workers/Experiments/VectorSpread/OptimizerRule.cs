using GradDescent.Workers.Optimization;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// One of the shared optimizers on the negated objective (optimizers minimise). Its learning-rate
/// decay is one factor for the whole group, which the fusion key guarantees.
/// </summary>
internal sealed class OptimizerRule(IBatchedOptimizer optimizer, double decay) : ISpreadUpdateRule
{
    public void Step(Tensor vectors, Tensor ascentGradient)
    {
        using var descentGradient = ascentGradient.neg();
        optimizer.Step([vectors], [descentGradient]);
    }

    public void Decay()
    {
        if (decay != 1.0)
        {
            optimizer.ScaleLearningRate(decay);
        }
    }

    public void Dispose() => optimizer.Dispose();
}
