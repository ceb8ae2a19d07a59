using GradDescent.Storage;
using GradDescent.Sweeps;

namespace GradDescent.Grains.Sweeps;

/// <summary>Opens a sweep's trial source from its spec and the store.</summary>
internal static class TrialSources
{
    /// <summary>
    /// The plan for grids, random samples and searches that do not adapt; otherwise a <see cref="SearchTrialSource"/>
    /// that has observed every stored result of the sweep (with the step series it needs). A search sweep's objectives
    /// are written to the store's <c>sweep_objectives</c> (again on every activation; the same list changes nothing).
    /// </summary>
    public static async Task<ITrialSource> OpenAsync(IResultStore store, string sweepId, SweepSpec spec, CancellationToken cancellationToken)
    {
        ITrialSource source;
        if (spec.Search is { IsAdaptive: true })
        {
            source = new SearchTrialSource(spec);
            await foreach (var result in store.GetResultsAsync(sweepId, source.ObservedSeries, cancellationToken))
            {
                source.Observe(result);
            }
        }
        else
        {
            source = new PlanTrialSource(SweepPlan.Create(spec));
        }

        if (source.Objectives.Count > 0)
        {
            await store.SetSweepObjectivesAsync(sweepId, source.Objectives, cancellationToken);
        }

        return source;
    }
}
