using System.Collections.Immutable;

namespace GradDescent.Sweeps;

/// <summary>
/// The random section of a sweep: <paramref name="Samples"/> points drawn from
/// <paramref name="Space"/> on top of the grid. Grid axes that the space does not name are drawn
/// uniformly from their grid values.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SweepRandom(
    [property: Id(0)] int Samples,
    [property: Id(1)] ImmutableArray<RandomDimension> Space);
