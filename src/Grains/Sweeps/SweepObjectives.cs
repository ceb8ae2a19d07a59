using System.Collections.Immutable;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;
using GradDescent.Sweeps.Search;

namespace GradDescent.Grains.Sweeps;

/// <summary>
/// A search sweep's objectives as the store sees them: each a final metric of its trials. An objective with
/// <c>reach</c> (iterations to come within a fraction of the final value) is no metric the experiment reports, so
/// it is computed from the step series and added to each completed result's metrics under the objective's name
/// (e.g. <c>iterations_to_99pct_min_angle_deg</c>), where reports, the <c>pareto_front</c> view and SQL find it.
/// </summary>
internal sealed class SweepObjectives
{
    private readonly ImmutableArray<SweepObjective> objectives;

    public SweepObjectives(SweepSearch? search)
    {
        objectives = search?.Objectives ?? [];
        Records = [.. objectives.Select(o => new SweepObjectiveRecord(o.Name, o.Goal))];
        Series = [.. objectives.Where(o => o.Reach is not null).Select(o => o.Metric).Distinct(StringComparer.Ordinal)];
    }

    public IReadOnlyList<SweepObjectiveRecord> Records { get; }

    /// <summary>The step series the reach objectives are computed from.</summary>
    public IReadOnlyList<string> Series { get; }

    public TrialResult Complete(TrialResult result)
    {
        if (result.Status != TrialStatus.Completed || Series.Count == 0)
        {
            return result;
        }

        var metrics = result.Metrics;
        foreach (var objective in objectives)
        {
            if (objective.Reach is not null && !metrics.ContainsKey(objective.Name)
                && SearchObservations.ObjectiveValue(result, objective) is { } value)
            {
                metrics = metrics.SetItem(objective.Name, value);
            }
        }

        return ReferenceEquals(metrics, result.Metrics) ? result : result with { Metrics = metrics };
    }
}
