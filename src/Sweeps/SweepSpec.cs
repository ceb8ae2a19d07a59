using System.Collections.Immutable;
using GradDescent.Abstractions.Grains;
using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps;

/// <summary>
/// A validated sweep specification: everything canonical, every value checked against the
/// experiment's parameter definitions. Produced by <see cref="SweepSpecParser"/>; expanded into
/// trials by <see cref="SweepPlan"/>. Carries its original text so a resumed sweep re-parses
/// exactly what was started.
/// </summary>
/// <param name="Name">The sweep's name (letters, digits, '.', '_' and '-').</param>
/// <param name="Description">Free text, or null.</param>
/// <param name="Experiment">Experiment name from the catalog.</param>
/// <param name="Parameters">Fixed parameters: name → canonical text, the same for every trial.</param>
/// <param name="Grid">Grid axes in the order written; the last axis varies fastest.</param>
/// <param name="Random">Random samples drawn on top of the grid, or null.</param>
/// <param name="Repeats">Trials per point, with seeds 0..Repeats-1.</param>
/// <param name="Seed">Seeds the random samples.</param>
/// <param name="MaxAttempts">Tries of a trial that throws before it counts as failed.</param>
/// <param name="BatchSize">Hint for the number of trials fused into one batch, or null.</param>
/// <param name="SourceName">Where the text came from (a file path), used in error messages.</param>
/// <param name="Text">The original YAML or JSON text.</param>
[GenerateSerializer, Immutable]
public sealed record SweepSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string Experiment,
    [property: Id(3)] ImmutableSortedDictionary<string, string> Parameters,
    [property: Id(4)] ImmutableArray<SweepAxis> Grid,
    [property: Id(5)] SweepRandom? Random,
    [property: Id(6)] int Repeats,
    [property: Id(7)] long Seed,
    [property: Id(8)] int MaxAttempts,
    [property: Id(9)] int? BatchSize,
    [property: Id(10)] string SourceName,
    [property: Id(11)] string Text)
{
    /// <summary>
    /// The <c>search</c> section (with <c>early_stopping</c> and <c>objectives</c>), or null for a
    /// grid/random sweep. A search sweep has no <see cref="Grid"/> and no <see cref="Random"/>.
    /// </summary>
    [Id(12)]
    public SweepSearch? Search { get; init; }

    /// <summary>The <c>placement</c> section: which workers may lease the trials; null: any worker (the experiment's preferred device first).</summary>
    [Id(13)]
    public SweepPlacement? Placement { get; init; }

    /// <summary>Number of grid points: the product of the axis sizes; with no axes, 1 if there is no random section, else 0.</summary>
    public long GridPoints =>
        Grid.IsDefaultOrEmpty ? (Random is null ? 1 : 0) : Grid.Aggregate(1L, (product, axis) => SaturatingMath.Multiply(product, axis.Values.Length));

    /// <summary>Grid points plus random samples.</summary>
    public long Points => SaturatingMath.Add(GridPoints, Random?.Samples ?? 0);

    /// <summary>Points times repeats (saturates at <see cref="long.MaxValue"/>); a search sweep's budget.</summary>
    public long TotalTrials => Search is { } search ? search.Trials : SaturatingMath.Multiply(Points, Repeats);
}
