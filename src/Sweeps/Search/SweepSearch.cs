using System.Collections.Immutable;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// The <c>search</c> section of a sweep spec, with its <c>early_stopping</c> and <c>objectives</c>:
/// the alternative to <c>grid</c>/<c>random</c> (docs/search.md).
/// </summary>
/// <param name="Algorithm">tpe, random, grid or nsga2.</param>
/// <param name="Trials">The budget: how many trials the sweep runs (for grid, at most the grid's size).</param>
/// <param name="Batch">Trials proposed at once: one generation, which fills a fused batch.</param>
/// <param name="Seed">Seeds every draw of the algorithm.</param>
/// <param name="Space">The dimensions, in the order written (a dimension's <c>when</c> names earlier ones).</param>
/// <param name="ParallelBatches">How many generations may run at once (each is proposed without the results of the others).</param>
/// <param name="Liar">TPE: the score assumed for proposed, unfinished trials.</param>
/// <param name="StartupTrials">TPE: results needed before the model is used; until then points are random.</param>
/// <param name="Candidates">TPE: candidates drawn from the good-trials model per parameter (expected-improvement samples).</param>
/// <param name="EarlyStopping">ASHA or median stopping, or null for none.</param>
/// <param name="Objectives">
/// What the search optimises: one objective (by default the experiment's primary metric and goal) or
/// several, which make a Pareto front.
/// </param>
[GenerateSerializer, Immutable]
public sealed record SweepSearch(
    [property: Id(0)] SearchAlgorithm Algorithm,
    [property: Id(1)] int Trials,
    [property: Id(2)] int Batch,
    [property: Id(3)] long Seed,
    [property: Id(4)] ImmutableArray<SearchDimension> Space,
    [property: Id(5)] int ParallelBatches,
    [property: Id(6)] ConstantLiar Liar,
    [property: Id(7)] int StartupTrials,
    [property: Id(8)] int Candidates,
    [property: Id(9)] EarlyStoppingSpec? EarlyStopping,
    [property: Id(10)] ImmutableArray<SweepObjective> Objectives)
{
    public const int DefaultStartupTrials = 10;

    public const int DefaultCandidates = 24;

    /// <summary>Generations: ⌈Trials / Batch⌉; the last may be short.</summary>
    public int Generations => (int)(((long)Trials + Batch - 1) / Batch);

    public bool IsMultiObjective => Objectives.Length > 1;

    /// <summary>
    /// True when the proposals depend on results (TPE, NSGA-II) or trials stop early: then the sweep
    /// needs a <see cref="SearchDriver"/>, and <see cref="SweepPlan"/> cannot expand it by index alone.
    /// </summary>
    public bool IsAdaptive => Algorithm is SearchAlgorithm.Tpe or SearchAlgorithm.Nsga2 || EarlyStopping is not null;

    /// <summary>The generation of trial <paramref name="index"/>.</summary>
    public int GenerationOf(long index) => checked((int)(index / Batch));

    /// <summary>The first trial index of <paramref name="generation"/> and its size.</summary>
    public (long First, int Count) GenerationRange(int generation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(generation);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(generation, Generations);
        var first = (long)generation * Batch;
        return (first, (int)Math.Min(Batch, Trials - first));
    }
}
