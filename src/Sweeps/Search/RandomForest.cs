namespace GradDescent.Sweeps.Search;

/// <summary>
/// A random forest regressor (Breiman 2001) with the settings Optuna's fANOVA evaluator uses: 64 trees,
/// each grown on a bootstrap sample with every feature considered at every split, depth at most 64.
/// Bootstrap draws come from a <see cref="SearchRandom"/> stream keyed by the seed, so the forest, and
/// the importances computed from it, are the same for the same trials.
/// </summary>
internal sealed class RandomForest
{
    public const int DefaultTrees = 64;

    public const int DefaultMaxDepth = 64;

    /// <summary>Stream purpose of the bootstrap draws ("FOREST-B").</summary>
    private const ulong Purpose = 0x464F524553542D42UL;

    private RandomForest(IReadOnlyList<RegressionTree> trees) => Trees = trees;

    public IReadOnlyList<RegressionTree> Trees { get; }

    public static RandomForest Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, long seed, int trees = DefaultTrees, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0 || x.Count != y.Count)
        {
            throw new ArgumentException("one target per row, and at least one row", nameof(y));
        }

        var grown = new RegressionTree[trees];
        for (var t = 0; t < trees; t++)
        {
            var rng = SearchRandom.For(seed, t, 0, Purpose);
            var sample = new int[x.Count];
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = rng.NextInt(x.Count);
            }

            grown[t] = RegressionTree.Grow(x, y, sample, maxDepth);
        }

        return new RandomForest(grown);
    }

    public double Predict(IReadOnlyList<double> x) => Trees.Average(t => t.Predict(x));
}
