namespace GradDescent.Sweeps.Search;

/// <summary>
/// <c>algorithm: random</c>: dimension d of trial i is drawn from the same counter-based unit number
/// as <c>random.space</c> would draw for sample i (seed, i, d), so any point can be computed alone.
/// TPE and NSGA-II start from exactly these points.
/// </summary>
internal sealed class RandomSearch(SearchSpace space, long seed) : ISearchAlgorithm
{
    public IReadOnlyList<SearchPoint> Propose(SearchContext context)
    {
        var points = new SearchPoint[context.Count];
        for (var j = 0; j < points.Length; j++)
        {
            points[j] = PointAt(context.FirstIndex + j);
        }

        return points;
    }

    public SearchPoint PointAt(long index) => space.Draw(d => RandomSampler.Bits(seed, index, d));
}
