using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>
/// Keras <c>Adadelta</c>: <c>accG = rho*accG + (1-rho)*g²; d = -sqrt(accD + eps)/sqrt(accG + eps)*g;
/// accD = rho*accD + (1-rho)*d²; p += lr*d</c>, both accumulators starting at zero.
/// </summary>
internal sealed class Adadelta : BatchedOptimizerBase
{
    private readonly Tensor oneMinusRho;
    private readonly Tensor epsilon;

    public Adadelta(string name, Tensor learningRate, Tensor rho, Tensor epsilon)
        : base(name, learningRate)
    {
        oneMinusRho = Own(1.0 - rho);
        Own(rho);
        this.epsilon = Own(epsilon);
    }

    protected override int StateSlots => 2;

    protected override void Update(Tensor parameter, Tensor gradient, Tensor[] slots)
    {
        var (accumulatedGradient, accumulatedDelta) = (slots[0], slots[1]);
        var eps = PerTrial(epsilon, parameter);
        var weight = PerTrial(oneMinusRho, parameter);
        accumulatedGradient.lerp_(gradient.square(), weight);
        var delta = (accumulatedDelta + eps).sqrt_().div_((accumulatedGradient + eps).sqrt_()).mul_(gradient).neg_();
        accumulatedDelta.lerp_(delta.square(), weight);
        parameter.add_(delta.mul_(PerTrial(LearningRate, parameter)));
    }
}
