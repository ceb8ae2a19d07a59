using GradDescent.Workers.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>
/// Keras <c>Adagrad</c>: <c>acc += g²; p -= lr*g / (sqrt(acc) + eps)</c>, the accumulator starting
/// at <c>initial_accumulator</c> (0.1).
/// </summary>
internal sealed class Adagrad : BatchedOptimizerBase
{
    private readonly Tensor initialAccumulator;
    private readonly Tensor epsilon;

    public Adagrad(string name, Tensor learningRate, Tensor initialAccumulator, Tensor epsilon)
        : base(name, learningRate)
    {
        this.initialAccumulator = Own(initialAccumulator);
        this.epsilon = Own(epsilon);
    }

    protected override int StateSlots => 1;

    protected override void InitializeState(Tensor parameter, Tensor[] slots) =>
        slots[0] = torch.zeros_like(parameter).PlusInPlace(PerTrial(initialAccumulator, parameter));

    protected override void Update(Tensor parameter, Tensor gradient, Tensor[] slots)
    {
        var accumulator = slots[0];
        accumulator.PlusInPlace(gradient.Squared());
        var denominator = accumulator.sqrt().PlusInPlace(PerTrial(epsilon, parameter));
        parameter.sub_(gradient * PerTrial(LearningRate, parameter) / denominator);
    }
}
