using System.Collections.Immutable;
using System.Globalization;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Workers.Tests.Optimization;

/// <summary>One trial's hyperparameters with the Keras defaults of <paramref name="Optimizer"/> filled in.</summary>
internal sealed record ReferenceHyperParameters(
    string Optimizer,
    double LearningRate,
    double Momentum,
    double Rho,
    double Beta1,
    double Beta2,
    double Epsilon,
    double WeightDecay,
    double InitialAccumulator)
{
    public static ReferenceHyperParameters From(string optimizer, IReadOnlyDictionary<string, double> given) => new(
        optimizer,
        given.GetValueOrDefault("learning_rate", 0.001),
        given.GetValueOrDefault("momentum", 0.9),
        given.GetValueOrDefault("rho", optimizer == "adadelta" ? 0.95 : 0.9),
        given.GetValueOrDefault("beta1", 0.9),
        given.GetValueOrDefault("beta2", 0.999),
        given.GetValueOrDefault("epsilon", 1e-7),
        given.GetValueOrDefault("weight_decay", 0.004),
        given.GetValueOrDefault("initial_accumulator", 0.1));

    public static ParameterSet ToParameterSet(IReadOnlyDictionary<string, double> given) =>
        new(given.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value.ToString("R", CultureInfo.InvariantCulture), StringComparer.Ordinal));
}
