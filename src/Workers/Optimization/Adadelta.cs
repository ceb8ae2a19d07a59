using GradDescent.Workers.Devices;
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
        oneMinusRho = Own(rho.OneMinus());
        Own(rho);
        this.epsilon = Own(epsilon);
    }

    protected override int StateSlots => 2;

    protected override void Update(Tensor parameter, Tensor gradient, Tensor[] slots)
    {
        var (accumulatedGradient, accumulatedDelta) = (slots[0], slots[1]);
        var eps = PerTrial(epsilon, parameter);
        var weight = PerTrial(oneMinusRho, parameter);
        accumulatedGradient.lerp_(gradient.Squared(), weight);
        var delta = accumulatedDelta.Plus(eps).sqrt_().div_(accumulatedGradient.Plus(eps).sqrt_()).mul_(gradient).neg_();
        accumulatedDelta.lerp_(delta.Squared(), weight);
        parameter.PlusInPlace(delta.mul_(PerTrial(LearningRate, parameter)));
    }
}
