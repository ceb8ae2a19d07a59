using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// The trials of a search that does not adapt (<c>algorithm: random</c> or <c>grid</c>, no early
/// stopping), by index alone: what <see cref="SweepPlan"/> hands out for such a sweep. Adaptive searches
/// (TPE, NSGA-II, early stopping) need a <see cref="SearchDriver"/> fed with results.
/// </summary>
internal sealed class IndexedSearch
{
    private readonly SweepSearch search;
    private readonly SearchSpace space;
    private readonly Func<long, SearchPoint>? pointAt;
    private readonly ImmutableSortedDictionary<string, string> baseParameters;

    public IndexedSearch(SweepSpec spec, ExperimentDefinition experiment)
    {
        search = spec.Search!;
        space = new SearchSpace(search.Space, experiment);
        pointAt = search.IsAdaptive ? null : search.Algorithm == SearchAlgorithm.Grid ? new GridSearch(space).PointAt : new RandomSearch(space, search.Seed).PointAt;
        baseParameters = space.BaseParameters(experiment, spec.Parameters);
    }

    public TrialPoint GetTrial(long index)
    {
        if (pointAt is null)
        {
            throw new InvalidOperationException(
                $"the trials of a {search.Algorithm.ToString().ToLowerInvariant()} search{(search.EarlyStopping is null ? string.Empty : " with early stopping")} depend on results: a SearchDriver proposes them");
        }

        var values = baseParameters.SetItems(space.Decode(pointAt(index)));
        return new TrialPoint(index, new ParameterSet(values), Seed: 0, PointIndex: index, Repeat: 0);
    }
}
