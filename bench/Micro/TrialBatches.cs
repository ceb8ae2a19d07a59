using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;

namespace GradDescent.Bench.Micro;

/// <summary>Builds fused groups of trials the way a worker receives them: parameters bound by the experiment's definition.</summary>
internal static class TrialBatches
{
    /// <param name="definition">The experiment's definition (fills defaults, validates).</param>
    /// <param name="count">Trials in the group; trial i gets seed i.</param>
    /// <param name="parameters">Raw parameters of trial i.</param>
    public static IReadOnlyList<TrialInput> Bind(
        ExperimentDefinition definition, int count, Func<int, IReadOnlyDictionary<string, object?>> parameters) =>
        Enumerable.Range(0, count)
            .Select(i => new TrialInput(definition.Bind(parameters(i)), i))
            .ToList();

    /// <summary>Spreads learning rates over [low, 2·low) so fused trials differ but stay on the same (stable) side.</summary>
    public static string LearningRate(double low, int trial, int count) =>
        (low * (1.0 + ((double)trial / count))).ToString("R", CultureInfo.InvariantCulture);
}
