using GradDescent.Abstractions.Parameters;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>Creates batched optimizers by name, reading each trial's hyperparameters.</summary>
public static class BatchedOptimizerFactory
{
    /// <param name="name">An optimizer name from <c>OptimizerCatalog.Names</c>.</param>
    /// <param name="trials">One parameter set per trial of the fused group, in batch order.</param>
    /// <param name="device">Device the parameters live on.</param>
    public static IBatchedOptimizer Create(string name, IReadOnlyList<ParameterSet> trials, Device device)
    {
        var learningRate = PerTrial(trials, "learning_rate", fallback: 0.001, device);
        return name switch
        {
            "gd" or "sgd" => new PlainGradientDescent(name, learningRate),
            _ => throw new ArgumentException($"unknown optimizer '{name}'", nameof(name)),
        };
    }

    /// <summary>A [B] float32 tensor of one hyperparameter, the fallback where a trial leaves it out.</summary>
    internal static Tensor PerTrial(IReadOnlyList<ParameterSet> trials, string name, double fallback, Device device)
    {
        var values = new float[trials.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(trials[i].GetDoubleOrNull(name) ?? fallback);
        }

        return torch.tensor(values, device: device);
    }
}
