using System.Collections.Immutable;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// <c>when: {optimizer: [momentum, nesterov]}</c>: the dimension is drawn only when the choice
/// parameter <paramref name="Parameter"/> (listed earlier in the space, itself active) took one of
/// <paramref name="Values"/> (canonical text).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SearchCondition(
    [property: Id(0)] string Parameter,
    [property: Id(1)] ImmutableArray<string> Values);
