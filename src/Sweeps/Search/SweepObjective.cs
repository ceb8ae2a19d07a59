using System.Globalization;
using GradDescent.Abstractions.Experiments;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// One objective of a search: a final metric of the experiment, or, with <paramref name="Reach"/>, the
/// iterations its step series took to come within <c>1 - Reach</c> of its final value.
/// </summary>
/// <param name="Metric">A final metric (or, with <paramref name="Reach"/>, a step series) of the experiment.</param>
/// <param name="Goal">Whether smaller or larger is better.</param>
/// <param name="Reach">Null for the metric itself; a fraction in (0, 1] for "iterations to reach it".</param>
[GenerateSerializer, Immutable]
public sealed record SweepObjective(
    [property: Id(0)] string Metric,
    [property: Id(1)] MetricGoal Goal,
    [property: Id(2)] double? Reach)
{
    /// <summary>
    /// How reports and tables name the objective: the metric, or e.g. <c>iterations_to_99pct_min_angle_deg</c>.
    /// </summary>
    public string Name => Reach is { } reach
        ? $"iterations_to_{(reach * 100).ToString("0.###", CultureInfo.InvariantCulture)}pct_{Metric}"
        : Metric;
}
