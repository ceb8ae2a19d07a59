using GradDescent.Abstractions.Parameters;

namespace GradDescent.Abstractions.Experiments;

/// <summary>
/// The optimizers every experiment offers and their shared hyperparameters. Hyperparameters without
/// a default here take the optimizer's own (Keras in TensorFlow 2) default; docs/optimizers.md lists them.
/// </summary>
public static class OptimizerCatalog
{
    /// <summary>The article's manual rule: <c>p -= lr * grad</c> (with the intercept scale in linear regression).</summary>
    public const string GradientDescent = "gd";

    public static IReadOnlyList<string> Names { get; } =
        ["gd", "sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad", "adadelta", "adamax", "nadam"];

    /// <summary>
    /// The adaptive methods: each scales every parameter's step by a running measure of that parameter's own gradients,
    /// so parameters whose gradients differ in size move at comparable rates (the article's explanation of why its
    /// optimizer runs need no hand-tuned gradient scale).
    /// </summary>
    public static IReadOnlySet<string> Adaptive { get; } =
        new HashSet<string>(["rmsprop", "adam", "adamw", "adagrad", "adadelta", "adamax", "nadam"], StringComparer.Ordinal);

    /// <summary>Optional hyperparameters shared by all experiments that run an optimizer.</summary>
    public static IReadOnlyList<ParameterDefinition> HyperParameters { get; } =
    [
        new() { Name = "momentum", Kind = ParameterKind.Real, Min = 0, Max = 1, MaxExclusive = true, Description = "Momentum coefficient for momentum and nesterov (default 0.9)." },
        new() { Name = "rho", Kind = ParameterKind.Real, Min = 0, Max = 1, MaxExclusive = true, Description = "Decay of the squared-gradient average for rmsprop (0.9) and adadelta (0.95)." },
        new() { Name = "beta1", Kind = ParameterKind.Real, Min = 0, Max = 1, MaxExclusive = true, Description = "First-moment decay for adam, adamw, adamax, nadam (0.9)." },
        new() { Name = "beta2", Kind = ParameterKind.Real, Min = 0, Max = 1, MaxExclusive = true, Description = "Second-moment decay for adam, adamw, adamax, nadam (0.999)." },
        new() { Name = "epsilon", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Description = "Numerical-stability constant (1e-7)." },
        new() { Name = "weight_decay", Kind = ParameterKind.Real, Min = 0, Description = "Decoupled weight decay for adamw (0.004)." },
        new() { Name = "initial_accumulator", Kind = ParameterKind.Real, Min = 0, Description = "Starting accumulator for adagrad (0.1)." },
    ];
}
