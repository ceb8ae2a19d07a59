namespace GradDescent.Sweeps.Search;

/// <summary>
/// Proposes the points of one generation. Must be a pure function of the context (and the spec the
/// algorithm was built from): that is what makes a resumed sweep propose what an uninterrupted one would.
/// </summary>
internal interface ISearchAlgorithm
{
    IReadOnlyList<SearchPoint> Propose(SearchContext context);
}
