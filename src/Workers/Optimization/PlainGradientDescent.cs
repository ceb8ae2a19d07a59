using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary><c>p -= lr * g</c> per trial: the article's manual rule (gd) and Keras SGD without momentum (sgd).</summary>
internal sealed class PlainGradientDescent(string name, Tensor learningRate) : IBatchedOptimizer
{
    public string Name { get; } = name;

    public void Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> gradients)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (var k = 0; k < parameters.Count; k++)
        {
            parameters[k].sub_(gradients[k] * BatchBroadcast.Expand(learningRate, parameters[k]));
        }
    }

    public void ScaleLearningRate(double factor) => learningRate.mul_(factor);

    public void Dispose() => learningRate.Dispose();
}
