using System.Collections.Immutable;

namespace GradDescent.Sweeps;

/// <summary>
/// One parameter of a random space. <see cref="Low"/> and <see cref="High"/> bound the numeric
/// distributions (inclusive); <see cref="Choices"/> holds the canonical values of a choice.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RandomDimension(
    [property: Id(0)] string Name,
    [property: Id(1)] RandomDistribution Distribution,
    [property: Id(2)] double Low,
    [property: Id(3)] double High,
    [property: Id(4)] ImmutableArray<string> Choices)
{
    /// <summary>The exact lower bound of <c>int_uniform</c> (<see cref="Low"/> holds it rounded to a double).</summary>
    [Id(5)]
    public long IntegerLow { get; init; }

    /// <summary>The exact upper bound of <c>int_uniform</c> (<see cref="High"/> holds it rounded to a double).</summary>
    [Id(6)]
    public long IntegerHigh { get; init; }
}
