namespace GradDescent.Sweeps.Search;

/// <summary>
/// <c>algorithm: tpe</c>, univariate as Optuna 3.1's TPESampler with its defaults: while fewer than
/// <c>startup_trials</c> results are known the points are <see cref="RandomSearch"/>'s; then, per point
/// and per active parameter in space order, the trials are split into the γ(n) best and the rest
/// (<see cref="TpeSplit"/>), a <see cref="ParzenEstimator"/> is fitted to each side's values of that
/// parameter (trials where it is inactive are not observations of it), <c>candidates</c> values are drawn
/// from the good side's estimator, and the one with the largest l(x)/g(x), which maximises expected
/// improvement, wins. The points of a generation are proposed one after another; each earlier one, and every
/// point of a generation still in flight, joins the ranking with the <see cref="ConstantLiar"/> score, so a
/// batch spreads out. Candidate draws come from <see cref="SearchRandom"/> streams keyed by
/// (seed, trial index, dimension): nothing but the observations decides the proposal.
/// </summary>
internal sealed class TpeSampler(SearchSpace space, SweepSearch search) : ISearchAlgorithm
{
    /// <summary>Stream purpose of TPE's candidate draws ("TPE-CAND").</summary>
    private const ulong Purpose = 0x5450452D43414E44UL;

    private const double PriorWeight = 1.0;

    private readonly RandomSearch random = new(space, search.Seed);

    public IReadOnlyList<SearchPoint> Propose(SearchContext context)
    {
        var goals = TrialScore.Goals(search);
        var informative = context.Observations.Where(o => o.Informs).ToList();
        var points = informative.Select(o => o.Point).ToList();
        var scores = informative.Select(o => TrialScore.Of(o, goals)).ToList();
        var real = scores.Count;
        var lie = TrialScore.Lie(search.Liar, scores, goals.Length);
        foreach (var (_, point) in context.Pending)
        {
            points.Add(point);
            scores.Add(lie);
        }

        var proposals = new SearchPoint[context.Count];
        for (var j = 0; j < proposals.Length; j++)
        {
            var index = context.FirstIndex + j;
            proposals[j] = real < search.StartupTrials ? random.PointAt(index) : ProposeOne(index, points, scores, real);
            points.Add(proposals[j]);
            scores.Add(lie);
        }

        return proposals;
    }

    private SearchPoint ProposeOne(long index, List<SearchPoint> points, List<TrialScore> scores, int real)
    {
        var (below, above, belowWeights) = TpeSplit.Split(scores, TpeSplit.Gamma(real));
        var values = new double[space.Count];
        for (var d = 0; d < space.Count; d++)
        {
            if (!space.IsActive(d, values))
            {
                values[d] = double.NaN;
                continue;
            }

            var (good, goodWeights) = Column(points, below, belowWeights, d);
            var (bad, _) = Column(points, above, null, d);
            var draw = space[d].Draw;
            var l = ParzenEstimator.Create(draw, good, goodWeights, PriorWeight);
            var g = ParzenEstimator.Create(draw, bad, null, PriorWeight);
            var candidates = l.Sample(SearchRandom.For(search.Seed, index, d, Purpose), search.Candidates);
            var best = 0;
            var bestScore = double.NegativeInfinity;
            for (var c = 0; c < candidates.Length; c++)
            {
                var score = l.LogScore(candidates[c]) - g.LogScore(candidates[c]);
                if (score > bestScore)
                {
                    best = c;
                    bestScore = score;
                }
            }

            values[d] = space.Normalize(d, l.ToPoint(candidates[best]));
        }

        return new SearchPoint([.. values]);
    }

    /// <summary>The values of dimension d in the chosen trials where it is active, with their weights.</summary>
    private static (List<double> Values, List<double>? Weights) Column(List<SearchPoint> points, int[] chosen, double[]? weights, int d)
    {
        var values = new List<double>(chosen.Length);
        var kept = weights is null ? null : new List<double>(chosen.Length);
        for (var k = 0; k < chosen.Length; k++)
        {
            var value = points[chosen[k]][d];
            if (!double.IsNaN(value))
            {
                values.Add(value);
                kept?.Add(weights![k]);
            }
        }

        return (values, kept);
    }
}
