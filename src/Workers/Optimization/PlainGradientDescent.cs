using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary><c>p -= lr * g</c> per trial: the article's manual rule (gd) and Keras SGD without momentum (sgd).</summary>
internal sealed class PlainGradientDescent(string name, Tensor learningRate) : BatchedOptimizerBase(name, learningRate)
{
    protected override int StateSlots => 0;

    protected override void Update(Tensor parameter, Tensor gradient, Tensor[] slots) =>
        parameter.sub_(gradient * PerTrial(LearningRate, parameter));
}
