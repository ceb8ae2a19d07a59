using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>
/// Creates batched optimizers by name, reading each trial's hyperparameters; an absent
/// hyperparameter takes the optimizer's Keras (TensorFlow 2) default. docs/optimizers.md lists the rules.
/// </summary>
public static class BatchedOptimizerFactory
{
    /// <summary>Learning rate used when a trial has none (Keras' default for every optimizer here).</summary>
    public const double DefaultLearningRate = 0.001;

    /// <summary>Epsilon used when a trial has none (Keras' default).</summary>
    public const double DefaultEpsilon = 1e-7;

    /// <param name="name">An optimizer name from <c>OptimizerCatalog.Names</c>.</param>
    /// <param name="trials">One parameter set per trial of the fused group, in batch order.</param>
    /// <param name="device">Device the parameters live on.</param>
    /// <exception cref="ArgumentException">Unknown optimizer name or no trials.</exception>
    public static IBatchedOptimizer Create(string name, IReadOnlyList<ParameterSet> trials, Device device)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(device);
        if (trials.Count == 0)
        {
            throw new ArgumentException("at least one trial is required", nameof(trials));
        }

        Tensor Hyper(string parameter, double fallback) => PerTrial(trials, parameter, fallback, device);

        return name switch
        {
            "gd" or "sgd" => new PlainGradientDescent(name, Hyper("learning_rate", DefaultLearningRate)),
            "momentum" or "nesterov" => new MomentumGradientDescent(
                name, Hyper("learning_rate", DefaultLearningRate), Hyper("momentum", 0.9), nesterov: name == "nesterov"),
            "rmsprop" => new RmsProp(
                name, Hyper("learning_rate", DefaultLearningRate), Hyper("rho", 0.9), Hyper("epsilon", DefaultEpsilon)),
            "adam" => new Adam(
                name, Hyper("learning_rate", DefaultLearningRate), Hyper("beta1", 0.9), Hyper("beta2", 0.999), Hyper("epsilon", DefaultEpsilon), weightDecay: null),
            "adamw" => new Adam(
                name, Hyper("learning_rate", DefaultLearningRate), Hyper("beta1", 0.9), Hyper("beta2", 0.999), Hyper("epsilon", DefaultEpsilon), Hyper("weight_decay", 0.004)),
            "adagrad" => new Adagrad(
                name, Hyper("learning_rate", DefaultLearningRate), Hyper("initial_accumulator", 0.1), Hyper("epsilon", DefaultEpsilon)),
            "adadelta" => new Adadelta(
                name, Hyper("learning_rate", DefaultLearningRate), Hyper("rho", 0.95), Hyper("epsilon", DefaultEpsilon)),
            "adamax" => new Adamax(
                name, Hyper("learning_rate", DefaultLearningRate), Hyper("beta1", 0.9), Hyper("beta2", 0.999), Hyper("epsilon", DefaultEpsilon)),
            "nadam" => new Nadam(
                name, Hyper("learning_rate", DefaultLearningRate), Hyper("beta1", 0.9), Hyper("beta2", 0.999), Hyper("epsilon", DefaultEpsilon)),
            _ => throw new ArgumentException(
                $"unknown optimizer '{name}' (known: {string.Join(", ", OptimizerCatalog.Names)})", nameof(name)),
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
