namespace GradDescent.Sweeps.Search;

/// <summary>
/// <c>algorithm: nsga2</c>, the elitist genetic algorithm of Deb et al. (2002) with Optuna 3.1's
/// defaults. A generation is one population's offspring. Its parents are the best <c>batch</c> visible
/// trials by non-dominated front, then crowding distance (<see cref="ParetoFront.Select"/>; μ+λ over
/// every visible trial, so the elite never gets lost). Each child: a parent by binary tournament
/// (front, then crowding distance), with probability 0.9 crossed with a second one by uniform crossover
/// (each parameter from either parent with probability ½), then each parameter redrawn at random with
/// probability 1/(active parameters). A parameter neither parent has (a condition newly true) is drawn at
/// random. Generation 0, and any generation without results, is <see cref="RandomSearch"/>'s. Draws come
/// from a <see cref="SearchRandom"/> stream keyed by (seed, trial index).
/// </summary>
internal sealed class Nsga2Sampler(SearchSpace space, SweepSearch search) : ISearchAlgorithm
{
    /// <summary>Stream purpose of NSGA-II's draws ("NSGA2-GA").</summary>
    private const ulong Purpose = 0x4E53474132264741UL;

    private const double CrossoverProbability = 0.9;

    private const double SwappingProbability = 0.5;

    private readonly RandomSearch random = new(space, search.Seed);

    public IReadOnlyList<SearchPoint> Propose(SearchContext context)
    {
        var goals = TrialScore.Goals(search);
        var informative = context.Observations.Where(o => o.Informs).ToList();
        var proposals = new SearchPoint[context.Count];
        if (informative.Count == 0)
        {
            for (var j = 0; j < proposals.Length; j++)
            {
                proposals[j] = random.PointAt(context.FirstIndex + j);
            }

            return proposals;
        }

        var vectors = informative.Select(o => (IReadOnlyList<double>)TrialScore.Of(o, goals).Values).ToList();
        var chosen = ParetoFront.Select(vectors, Math.Min(search.Batch, vectors.Count));
        var population = chosen.Select(i => informative[i].Point).ToList();
        var ranks = ParetoFront.Ranks([.. chosen.Select(i => vectors[i])]);
        var crowding = Crowding([.. chosen.Select(i => vectors[i])], ranks);
        for (var j = 0; j < proposals.Length; j++)
        {
            var index = context.FirstIndex + j;
            var rng = SearchRandom.For(search.Seed, index, 0, Purpose);
            var first = population[Tournament(rng, ranks, crowding)];
            var second = rng.NextDouble() < CrossoverProbability ? population[Tournament(rng, ranks, crowding)] : null;
            proposals[j] = Child(rng, first, second);
        }

        return proposals;
    }

    private SearchPoint Child(SearchRandom rng, SearchPoint first, SearchPoint? second)
    {
        var values = new double[space.Count];
        var active = 0;
        for (var d = 0; d < space.Count; d++)
        {
            if (!space.IsActive(d, values))
            {
                values[d] = double.NaN;
                continue;
            }

            active++;
            var fromFirst = first[d];
            var fromSecond = second is null ? double.NaN : second[d];
            var swap = rng.NextDouble() < SwappingProbability;
            values[d] = (double.IsNaN(fromFirst), double.IsNaN(fromSecond)) switch
            {
                (false, false) => swap ? fromSecond : fromFirst,
                (false, true) => fromFirst,
                (true, false) => fromSecond,
                _ => double.NaN,
            };
        }

        // Mutation: each active parameter redrawn with probability 1/active; conditions are checked again
        // in order, and a parameter that neither parent had is drawn.
        var mutated = new double[space.Count];
        for (var d = 0; d < space.Count; d++)
        {
            if (!space.IsActive(d, mutated))
            {
                mutated[d] = double.NaN;
                continue;
            }

            var redraw = rng.NextDouble() < 1.0 / Math.Max(1, active);
            mutated[d] = redraw || double.IsNaN(values[d]) ? space.DrawOne(d, rng.NextULong()) : values[d];
        }

        return new SearchPoint([.. mutated]);
    }

    /// <summary>The better of two distinct random members: lower front, then larger crowding distance, then the first drawn.</summary>
    private static int Tournament(SearchRandom rng, int[] ranks, double[] crowding)
    {
        var a = rng.NextInt(ranks.Length);
        if (ranks.Length == 1)
        {
            return a;
        }

        var b = (a + 1 + rng.NextInt(ranks.Length - 1)) % ranks.Length;
        if (ranks[a] != ranks[b])
        {
            return ranks[a] < ranks[b] ? a : b;
        }

        return crowding[b] > crowding[a] ? b : a;
    }

    private static double[] Crowding(List<IReadOnlyList<double>> vectors, int[] ranks)
    {
        var crowding = new double[vectors.Count];
        foreach (var front in Enumerable.Range(0, ranks.Length).GroupBy(i => ranks[i]))
        {
            var members = front.ToList();
            var distances = ParetoFront.CrowdingDistances(vectors, members);
            for (var k = 0; k < members.Count; k++)
            {
                crowding[members[k]] = distances[k];
            }
        }

        return crowding;
    }
}
