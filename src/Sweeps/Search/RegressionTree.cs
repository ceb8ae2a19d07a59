namespace GradDescent.Sweeps.Search;

/// <summary>
/// A CART regression tree (variance reduction, thresholds halfway between neighbouring values) as one
/// member of <see cref="RandomForest"/>: grown on a bootstrap sample until leaves are pure, hold one
/// sample or reach the depth limit. Also answers what fANOVA needs: each leaf's box and value.
/// </summary>
internal sealed class RegressionTree
{
    private readonly List<Node> nodes = [];

    private RegressionTree()
    {
    }

    /// <summary>The leaves: the box (per feature [low, high)) each covers within <paramref name="bounds"/>, and its value.</summary>
    public IEnumerable<(double[] Low, double[] High, double Value)> Leaves(IReadOnlyList<(double Low, double High)> bounds)
    {
        var low = bounds.Select(b => b.Low).ToArray();
        var high = bounds.Select(b => b.High).ToArray();
        return Walk(0, low, high);
    }

    /// <summary>Every threshold the tree splits feature <paramref name="feature"/> at.</summary>
    public IEnumerable<double> Thresholds(int feature) => nodes.Where(n => n.Feature == feature).Select(n => n.Threshold);

    public double Predict(IReadOnlyList<double> x)
    {
        var node = nodes[0];
        while (node.Feature >= 0)
        {
            node = nodes[x[node.Feature] < node.Threshold ? node.Left : node.Right];
        }

        return node.Value;
    }

    /// <summary>Grows a tree on the rows of <paramref name="sample"/> (indexes into x and y, repeats allowed).</summary>
    public static RegressionTree Grow(IReadOnlyList<double[]> x, IReadOnlyList<double> y, int[] sample, int maxDepth)
    {
        var tree = new RegressionTree();
        tree.Split(x, y, sample, 0, maxDepth);
        return tree;
    }

    private int Split(IReadOnlyList<double[]> x, IReadOnlyList<double> y, int[] rows, int depth, int maxDepth)
    {
        var index = nodes.Count;
        var mean = rows.Average(r => y[r]);
        nodes.Add(new Node(-1, 0, -1, -1, mean));
        if (depth >= maxDepth || rows.Length < 2 || rows.All(r => y[r] == y[rows[0]]))
        {
            return index;
        }

        var (feature, threshold) = BestSplit(x, y, rows);
        if (feature < 0)
        {
            return index;
        }

        var left = rows.Where(r => x[r][feature] < threshold).ToArray();
        var right = rows.Where(r => x[r][feature] >= threshold).ToArray();
        var leftIndex = Split(x, y, left, depth + 1, maxDepth);
        var rightIndex = Split(x, y, right, depth + 1, maxDepth);
        nodes[index] = new Node(feature, threshold, leftIndex, rightIndex, mean);
        return index;
    }

    /// <summary>The split with the smallest summed squared error over all features (lowest feature, then threshold, on ties).</summary>
    private static (int Feature, double Threshold) BestSplit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, int[] rows)
    {
        var bestFeature = -1;
        var bestThreshold = 0.0;
        var bestError = double.PositiveInfinity;
        var features = x[rows[0]].Length;
        var totalSum = rows.Sum(r => y[r]);
        var totalSquares = rows.Sum(r => y[r] * y[r]);
        for (var f = 0; f < features; f++)
        {
            var sorted = rows.OrderBy(r => x[r][f]).ToArray();
            double sum = 0, squares = 0;
            for (var i = 0; i < sorted.Length - 1; i++)
            {
                var value = y[sorted[i]];
                sum += value;
                squares += value * value;
                var here = x[sorted[i]][f];
                var next = x[sorted[i + 1]][f];
                if (here == next)
                {
                    continue;
                }

                var n = i + 1;
                var m = sorted.Length - n;
                var error = (squares - (sum * sum / n)) + (totalSquares - squares - ((totalSum - sum) * (totalSum - sum) / m));
                if (error < bestError)
                {
                    bestError = error;
                    bestFeature = f;
                    bestThreshold = 0.5 * (here + next);
                }
            }
        }

        return (bestFeature, bestThreshold);
    }

    private IEnumerable<(double[] Low, double[] High, double Value)> Walk(int index, double[] low, double[] high)
    {
        var node = nodes[index];
        if (node.Feature < 0)
        {
            yield return ((double[])low.Clone(), (double[])high.Clone(), node.Value);
            yield break;
        }

        var f = node.Feature;
        var (savedLow, savedHigh) = (low[f], high[f]);
        high[f] = Math.Clamp(node.Threshold, savedLow, savedHigh);
        foreach (var leaf in Walk(node.Left, low, high))
        {
            yield return leaf;
        }

        high[f] = savedHigh;
        low[f] = Math.Clamp(node.Threshold, savedLow, savedHigh);
        foreach (var leaf in Walk(node.Right, low, high))
        {
            yield return leaf;
        }

        low[f] = savedLow;
    }

    private readonly record struct Node(int Feature, double Threshold, int Left, int Right, double Value);
}
