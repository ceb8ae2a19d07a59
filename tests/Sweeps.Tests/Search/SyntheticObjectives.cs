using System.Globalization;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Sweeps.Tests.Search;

/// <summary>
/// Cheap closed-form objectives on real search spaces of the linear-regression experiment (its
/// parameters only serve as named, ranged coordinates here): what the search tests and
/// bench/search compare TPE, random search and Optuna on. Every one is minimised.
/// </summary>
public static class SyntheticObjectives
{
    /// <summary>A problem: its search space (YAML lines under <c>space:</c>), the function and its minimum.</summary>
    public sealed record Problem(string Name, string Space, Func<ParameterSet, double> Evaluate, double Minimum);

    /// <summary>(x − 1)² + (y + 2)² on [−5, 5]², minimum 0.</summary>
    public static Problem Quadratic { get; } = new(
        "quadratic",
        """
            init_slope: {uniform: [-5, 5]}
            init_intercept: {uniform: [-5, 5]}
        """,
        p => Square(p.GetDouble("init_slope") - 1) + Square(p.GetDouble("init_intercept") + 2),
        0);

    /// <summary>Branin-Hoo on [−5, 10] × [0, 15], minimum 0.397887 (three global minima).</summary>
    public static Problem Branin { get; } = new(
        "branin",
        """
            init_slope: {uniform: [-5, 10]}
            init_intercept: {uniform: [0, 15]}
        """,
        p =>
        {
            var x1 = p.GetDouble("init_slope");
            var x2 = p.GetDouble("init_intercept");
            var b = 5.1 / (4 * Math.PI * Math.PI);
            var c = 5 / Math.PI;
            var t = 1 / (8 * Math.PI);
            return Square(x2 - (b * x1 * x1) + (c * x1) - 6) + (10 * (1 - t) * Math.Cos(x1)) + 10;
        },
        0.39788735772973816);

    /// <summary>
    /// An optimizer-tuning toy: a choice of four optimizers, a log-uniform learning rate whose best value
    /// depends on the optimizer, a momentum that only the momentum optimizer has (<c>when</c>) and an
    /// integer iteration count. Minimum 0 at momentum, learning rate 0.01, momentum 0.9, 120 iterations.
    /// </summary>
    public static Problem Conditional { get; } = new(
        "conditional",
        """
            optimizer: {choice: [sgd, momentum, rmsprop, adam]}
            learning_rate: {log_uniform: [1.0e-5, 1.0]}
            momentum: {uniform: [0.0, 0.99], when: {optimizer: [momentum]}}
            iterations: {int_uniform: [10, 200]}
        """,
        p =>
        {
            var optimizer = p.GetText("optimizer");
            var (offset, bestLog) = optimizer switch
            {
                "sgd" => (1.0, -1.0),
                "momentum" => (0.0, -2.0),
                "rmsprop" => (0.5, -3.0),
                _ => (0.3, -2.5),
            };
            var value = offset + Square(Math.Log10(p.GetDouble("learning_rate")) - bestLog) + Square((p.GetInt("iterations") - 120) / 100.0);
            return optimizer == "momentum" ? value + (10 * Square(p.GetDouble("momentum") - 0.9)) : value;
        },
        0);

    /// <summary>
    /// Two objectives in conflict (ZDT1 on two variables): f1 = x, f2 = g·(1 − √(x/g)) with
    /// g = 1 + 9y, x = init_slope ∈ [0, 1], y = init_intercept ∈ [0, 1]. The Pareto front is y = 0.
    /// </summary>
    public static (double F1, double F2) Zdt1(ParameterSet p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var x = p.GetDouble("init_slope");
        var g = 1 + (9 * p.GetDouble("init_intercept"));
        return (x, g * (1 - Math.Sqrt(x / g)));
    }

    public static IReadOnlyList<Problem> All { get; } = [Quadratic, Branin, Conditional];

    /// <summary>A search spec for a problem; <paramref name="extra"/> adds lines to the search section (batch null: leave it to them).</summary>
    public static string Spec(Problem problem, string algorithm, int trials, int? batch, long seed, string extra = "")
    {
        ArgumentNullException.ThrowIfNull(problem);
        var batchLine = batch is { } size ? $"  batch: {size}\n" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"""
            name: {problem.Name}
            experiment: linear-regression
            search:
              algorithm: {algorithm}
              trials: {trials}
              seed: {seed}
            {batchLine}{extra}  space:
            {problem.Space}
            """);
    }

    private static double Square(double x) => x * x;
}
