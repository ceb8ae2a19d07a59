using GradDescent.Workers.Devices;
using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>
/// Keras <c>SGD(momentum)</c>: <c>v = momentum*v - lr*g; p += v</c>; with Nesterov
/// (<c>SGD(momentum, nesterov=True)</c>): <c>p += momentum*v - lr*g</c> using the new <c>v</c>.
/// </summary>
internal sealed class MomentumGradientDescent : BatchedOptimizerBase
{
    private readonly Tensor momentum;
    private readonly bool nesterov;

    public MomentumGradientDescent(string name, Tensor learningRate, Tensor momentum, bool nesterov)
        : base(name, learningRate)
    {
        this.momentum = Own(momentum);
        this.nesterov = nesterov;
    }

    protected override int StateSlots => 1;

    protected override void Update(Tensor parameter, Tensor gradient, Tensor[] slots)
    {
        var velocity = slots[0];
        var mu = PerTrial(momentum, parameter);
        var step = gradient * PerTrial(LearningRate, parameter);
        velocity.mul_(mu).sub_(step);
        if (nesterov)
        {
            parameter.PlusInPlace(velocity * mu).sub_(step);
        }
        else
        {
            parameter.PlusInPlace(velocity);
        }
    }
}
