using System.Collections.Immutable;

namespace GradDescent.Sweeps.Search;

/// <summary>One parameter of a search space.</summary>
/// <param name="Draw">The distribution, exactly as in <c>random.space</c>.</param>
/// <param name="Count">
/// <c>count: n</c> on a <c>uniform</c>/<c>log_uniform</c> dimension: how many evenly spaced values
/// (linear or log) the grid algorithm takes. Null for every other algorithm and distribution.
/// </param>
/// <param name="When">Conditions that must all hold for the dimension to be drawn; empty: always drawn.</param>
[GenerateSerializer, Immutable]
public sealed record SearchDimension(
    [property: Id(0)] RandomDimension Draw,
    [property: Id(1)] int? Count,
    [property: Id(2)] ImmutableArray<SearchCondition> When)
{
    public string Name => Draw.Name;

    public bool IsConditional => !When.IsDefaultOrEmpty;
}
