namespace GradDescent.Sweeps.Search;

/// <summary>
/// <c>algorithm: grid</c>: the cartesian product of the space's values (a choice's choices, every
/// integer of an <c>int_uniform</c>, <c>count</c> evenly spaced values of a <c>uniform</c> or
/// <c>log_uniform</c>), first dimension slowest, as <c>grid:</c> orders it. A conditional dimension only
/// multiplies the branches where it is active, so <c>momentum</c> under <c>when: {optimizer: [momentum]}</c>
/// adds its values to the momentum branch alone. Point i is found by descending the tree with subtree
/// sizes (memoised by the choices later dimensions depend on), without listing the grid.
/// </summary>
internal sealed class GridSearch : ISearchAlgorithm
{
    private readonly SearchSpace space;
    private readonly double[][] values;

    /// <summary>Per dimension d: the earlier dimensions whose values decide which of d, d+1, … are active.</summary>
    private readonly int[][] relevantParents;
    private readonly Dictionary<(int, string), long> sizes = [];

    public GridSearch(SearchSpace space)
    {
        this.space = space;
        values = [.. Enumerable.Range(0, space.Count).Select(d => Values(space, d))];
        relevantParents = new int[space.Count + 1][];
        for (var d = 0; d <= space.Count; d++)
        {
            var from = d;
            relevantParents[d] = [.. Enumerable.Range(from, space.Count - from)
                .SelectMany(k => space[k].IsConditional ? space[k].When.Select(c => space.IndexOf(c.Parameter)) : [])
                .Where(p => p < from)
                .Distinct()
                .Order()];
        }

        Size = SizeFrom(0, new double[space.Count]);
    }

    /// <summary>Points in the grid (saturates at <see cref="long.MaxValue"/>).</summary>
    public long Size { get; }

    /// <summary>The grid's values of dimension d, as point values.</summary>
    public static double[] Values(SearchSpace space, int d)
    {
        var draw = space[d].Draw;
        return draw.Distribution switch
        {
            RandomDistribution.Choice => [.. Enumerable.Range(0, draw.Choices.Length).Select(i => (double)i)],
            RandomDistribution.IntUniform => [.. Enumerable.Range(0, checked((int)(draw.High - draw.Low + 1))).Select(i => space.ToValue(d, (long)draw.Low + i))],
            _ => [.. GridGenerator.Generate(draw.Distribution == RandomDistribution.LogUniform ? GridGenerator.Log : GridGenerator.Linear, draw.Low, draw.High, space[d].Count
                    ?? throw new ArgumentException($"search.space.{space[d].Name}: the grid algorithm needs count: n on a {draw.Distribution} dimension", nameof(space)))
                .Select(v => space.ToValue(d, v))
                .Distinct()],
        };
    }

    public IReadOnlyList<SearchPoint> Propose(SearchContext context)
    {
        var points = new SearchPoint[context.Count];
        for (var j = 0; j < points.Length; j++)
        {
            points[j] = PointAt(context.FirstIndex + j);
        }

        return points;
    }

    /// <summary>Grid point <paramref name="index"/> (0 ≤ index &lt; <see cref="Size"/>).</summary>
    public SearchPoint PointAt(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Size);
        var point = new double[space.Count];
        for (var d = 0; d < space.Count; d++)
        {
            if (!space.IsActive(d, point))
            {
                point[d] = double.NaN;
                continue;
            }

            if (!Decides(d))
            {
                // Later dimensions do not depend on this value: every branch has the same size.
                var branch = SizeFrom(d + 1, point);
                point[d] = values[d][index / branch];
                index %= branch;
                continue;
            }

            foreach (var value in values[d])
            {
                point[d] = value;
                var size = SizeFrom(d + 1, point);
                if (index < size)
                {
                    break;
                }

                index -= size;
            }
        }

        return new SearchPoint([.. point]);
    }

    /// <summary>Whether a later dimension's activity depends on dimension d's value.</summary>
    private bool Decides(int d) => Array.IndexOf(relevantParents[d + 1], d) >= 0;

    /// <summary>Points of the subtree below a prefix whose dimensions 0..d-1 are set in <paramref name="point"/>.</summary>
    private long SizeFrom(int d, double[] point)
    {
        if (d == space.Count)
        {
            return 1;
        }

        var key = (d, string.Join(',', relevantParents[d].Select(p => point[p])));
        if (sizes.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var saved = point[d];
        long total;
        if (!space.IsActive(d, point))
        {
            point[d] = double.NaN;
            total = SizeFrom(d + 1, point);
        }
        else if (!Decides(d))
        {
            point[d] = values[d][0];
            total = SaturatingMath.Multiply(values[d].Length, SizeFrom(d + 1, point));
        }
        else
        {
            total = 0;
            foreach (var value in values[d])
            {
                point[d] = value;
                total = SaturatingMath.Add(total, SizeFrom(d + 1, point));
            }
        }

        point[d] = saved;
        sizes[key] = total;
        return total;
    }
}
