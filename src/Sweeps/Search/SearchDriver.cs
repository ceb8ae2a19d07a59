using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// Runs a search sweep's proposals by generation, with its whole state rebuilt from observations.
/// Trial i belongs to generation <c>i / batch</c>. Generation g may start once every trial of the
/// generations up to <c>g − parallel_batches</c> has finished, and its proposals see exactly those
/// results (by trial index) plus, as pending points, everything proposed since. So the proposals are a
/// pure function of (spec, the finished trials' results): a control silo that restarts, or
/// <c>graddescent resume</c>, calls <see cref="Observe(TrialObservation)"/> for every stored trial (in
/// any order) and then proposes exactly what an uninterrupted sweep would. There is no random-generator
/// position to save: every draw comes from a stream keyed by (seed, trial index, dimension).
/// </summary>
public sealed class SearchDriver
{
    private const string IterationsParameter = "iterations";

    private readonly ISearchAlgorithm algorithm;
    private readonly ImmutableSortedDictionary<string, string> baseParameters;
    private readonly Dictionary<long, TrialObservation> observations = [];
    private readonly int[] finished;
    private readonly Dictionary<int, IReadOnlyList<SearchPoint>> proposals = [];

    /// <summary>Every generation before this one has finished (observations only add, so it only moves forward).</summary>
    private int firstUnfinished;

    public SearchDriver(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Search = spec.Search ?? throw new ArgumentException($"sweep '{spec.Name}' has no search section", nameof(spec));
        Spec = spec;
        Experiment = ExperimentCatalog.Get(spec.Experiment);
        Space = new SearchSpace(Search.Space, Experiment);
        baseParameters = Space.BaseParameters(Experiment, spec.Parameters);
        algorithm = Search.Algorithm switch
        {
            SearchAlgorithm.Tpe => new TpeSampler(Space, Search),
            SearchAlgorithm.Nsga2 => new Nsga2Sampler(Space, Search),
            SearchAlgorithm.Grid => new GridSearch(Space),
            _ => new RandomSearch(Space, Search.Seed),
        };
        finished = new int[Search.Generations];
    }

    public SweepSpec Spec { get; }

    public SweepSearch Search { get; }

    public SearchSpace Space { get; }

    public ExperimentDefinition Experiment { get; }

    public int Generations => Search.Generations;

    /// <summary>Finished trials observed so far.</summary>
    public int Observed => observations.Count;

    public IReadOnlyCollection<TrialObservation> Observations => observations.Values;

    /// <summary>Records a stored trial (converted with <see cref="SearchObservations.FromResult"/>).</summary>
    public void Observe(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Observe(SearchObservations.FromResult(result, Space, Search));
    }

    /// <summary>
    /// Records a finished trial. Observing the same trial again with the same outcome does nothing; a
    /// different outcome is a bug in the caller (a trial is stored once) and throws.
    /// </summary>
    public void Observe(TrialObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentOutOfRangeException.ThrowIfNegative(observation.Index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(observation.Index, (long)Search.Trials);
        if (observations.TryGetValue(observation.Index, out var known))
        {
            if (!Same(known, observation))
            {
                throw new InvalidOperationException($"trial {observation.Index} was already observed with another outcome");
            }

            return;
        }

        observations.Add(observation.Index, observation);
        finished[Search.GenerationOf(observation.Index)]++;
    }

    public bool IsFinished(long index) => observations.ContainsKey(index);

    public bool IsGenerationFinished(int generation) => finished[generation] == Search.GenerationRange(generation).Count;

    /// <summary>Whether <paramref name="generation"/> may be proposed: every generation up to g − parallel_batches has finished.</summary>
    public bool IsReady(int generation)
    {
        if (generation < 0 || generation >= Generations)
        {
            return false;
        }

        while (firstUnfinished < Generations && IsGenerationFinished(firstUnfinished))
        {
            firstUnfinished++;
        }

        return generation - Search.ParallelBatches < firstUnfinished;
    }

    /// <summary>The points of a ready generation (computed once, then cached).</summary>
    /// <exception cref="InvalidOperationException">The generation is not ready.</exception>
    public IReadOnlyList<SearchPoint> Points(int generation)
    {
        if (proposals.TryGetValue(generation, out var cached))
        {
            return cached;
        }

        if (!IsReady(generation))
        {
            throw new InvalidOperationException($"generation {generation} is not ready: generations up to {generation - Search.ParallelBatches} must finish first");
        }

        var (first, count) = Search.GenerationRange(generation);
        var lastVisible = generation - Search.ParallelBatches;
        var visible = observations.Values
            .Where(o => Search.GenerationOf(o.Index) <= lastVisible)
            .OrderBy(o => o.Index)
            .ToList();
        var pending = new List<(long, SearchPoint)>();
        for (var g = Math.Max(0, lastVisible + 1); g < generation; g++)
        {
            var earlier = Points(g);
            var (start, _) = Search.GenerationRange(g);
            for (var j = 0; j < earlier.Count; j++)
            {
                pending.Add((start + j, observations.TryGetValue(start + j, out var done) ? done.Point : earlier[j]));
            }
        }

        var points = algorithm.Propose(new SearchContext(generation, first, count, visible, pending));
        proposals[generation] = points;
        return points;
    }

    /// <summary>The trials of a ready generation, bound like <see cref="SweepPlan.GetTrial"/>'s (seed 0; inactive parameters left to their defaults).</summary>
    public IReadOnlyList<TrialPoint> Trials(int generation)
    {
        var points = Points(generation);
        var (first, _) = Search.GenerationRange(generation);
        return [.. points.Select((point, j) => Bind(first + j, point))];
    }

    /// <summary>Trial <paramref name="index"/>; its generation must be ready.</summary>
    public TrialPoint GetTrial(long index)
    {
        var generation = Search.GenerationOf(index);
        return Bind(index, Points(generation)[(int)(index - Search.GenerationRange(generation).First)]);
    }

    /// <summary>
    /// Whether a stored trial's point is the one the searcher proposes for its index: false means the
    /// spec or the algorithm changed since the trial ran (the stored point still counts as observed).
    /// </summary>
    public bool ProposedAs(long index, SearchPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var generation = Search.GenerationOf(index);
        return IsReady(generation) && Points(generation)[(int)(index - Search.GenerationRange(generation).First)].SameAs(point);
    }

    /// <summary>
    /// The early-stopping plan a ready generation's batches carry, or null without early stopping: built
    /// from the same finished trials its proposals saw, so it too is the same after a resume.
    /// </summary>
    public StoppingPlan? StoppingPlanFor(int generation)
    {
        if (Search.EarlyStopping is not { } stopping)
        {
            return null;
        }

        if (!IsReady(generation))
        {
            throw new InvalidOperationException($"generation {generation} is not ready");
        }

        var lastVisible = generation - Search.ParallelBatches;
        var visible = observations.Values.Where(o => Search.GenerationOf(o.Index) <= lastVisible).OrderBy(o => o.Index);
        var maxIterations = Trials(generation).Max(t => t.Parameters.GetInt(IterationsParameter));
        return EarlyStopping.BuildPlan(stopping, Experiment.Goal == MetricGoal.Maximize, visible, maxIterations);
    }

    private TrialPoint Bind(long index, SearchPoint point)
    {
        var values = baseParameters.SetItems(Space.Decode(point));
        return new TrialPoint(index, new ParameterSet(values), Seed: 0, PointIndex: index, Repeat: 0);
    }

    private static bool Same(TrialObservation a, TrialObservation b) =>
        a.Kind == b.Kind && a.PrunedAt == b.PrunedAt && a.Point.SameAs(b.Point)
        && a.Values.SequenceEqual(b.Values) && a.Evaluations.SequenceEqual(b.Evaluations);
}
