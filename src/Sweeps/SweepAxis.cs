using System.Collections.Immutable;

namespace GradDescent.Sweeps;

/// <summary>One grid axis: a parameter and its concrete values (canonical text, in sweep order).</summary>
[GenerateSerializer, Immutable]
public sealed record SweepAxis(
    [property: Id(0)] string Name,
    [property: Id(1)] ImmutableArray<string> Values);
