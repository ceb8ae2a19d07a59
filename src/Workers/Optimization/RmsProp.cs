using GradDescent.Workers.Devices;
using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>
/// Keras <c>RMSprop</c> (no momentum, not centred): <c>acc = rho*acc + (1-rho)*g²;
/// p -= lr*g / (sqrt(acc) + eps)</c>, the accumulator starting at zero.
/// </summary>
internal sealed class RmsProp : BatchedOptimizerBase
{
    private readonly Tensor oneMinusRho;
    private readonly Tensor epsilon;

    public RmsProp(string name, Tensor learningRate, Tensor rho, Tensor epsilon)
        : base(name, learningRate)
    {
        oneMinusRho = Own(rho.OneMinus());
        Own(rho);
        this.epsilon = Own(epsilon);
    }

    protected override int StateSlots => 1;

    protected override void Update(Tensor parameter, Tensor gradient, Tensor[] slots)
    {
        var accumulator = slots[0];
        accumulator.lerp_(gradient.Squared(), PerTrial(oneMinusRho, parameter));
        var denominator = accumulator.sqrt().PlusInPlace(PerTrial(epsilon, parameter));
        parameter.sub_(gradient * PerTrial(LearningRate, parameter) / denominator);
    }
}
