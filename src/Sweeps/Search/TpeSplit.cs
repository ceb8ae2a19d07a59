namespace GradDescent.Sweeps.Search;

/// <summary>
/// TPE's split of the ranked trials into the good ones (l(x)) and the rest (g(x)), with the weights of the
/// good ones. One objective: the best γ(n) by <see cref="TrialScore.Compare"/> (stable). Several (MOTPE,
/// as Optuna 3.1): whole non-dominated fronts while they fit, then the rest of the next front chosen by
/// greedy hypervolume subset selection; the good trials are weighted by their hypervolume contribution.
/// Both lists keep trial order.
/// </summary>
internal static class TpeSplit
{
    private const double Epsilon = 1e-12;

    /// <summary>γ(n) = min(⌈n/10⌉, 25), Optuna's default.</summary>
    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    public static (int[] Below, int[] Above, double[]? BelowWeights) Split(IReadOnlyList<TrialScore> scores, int belowCount)
    {
        var multi = scores.Count > 0 && scores[0].Values.Length > 1;
        int[] below;
        if (!multi)
        {
            below = [.. Enumerable.Range(0, scores.Count).OrderBy(i => scores[i], Comparer<TrialScore>.Create(TrialScore.Compare)).ThenBy(i => i).Take(belowCount)];
        }
        else
        {
            below = SelectByFronts(scores, belowCount);
        }

        Array.Sort(below);
        var chosen = new HashSet<int>(below);
        var above = Enumerable.Range(0, scores.Count).Where(i => !chosen.Contains(i)).ToArray();
        return (below, above, multi ? ContributionWeights(scores, below) : null);
    }

    private static int[] SelectByFronts(IReadOnlyList<TrialScore> scores, int count)
    {
        var points = scores.Select(s => (IReadOnlyList<double>)s.Values).ToList();
        var ranks = ParetoFront.Ranks(points);
        var selected = new List<int>(count);
        foreach (var front in Enumerable.Range(0, ranks.Length).GroupBy(i => ranks[i]).OrderBy(g => g.Key))
        {
            var members = front.OrderBy(i => i).ToList();
            if (selected.Count + members.Count <= count)
            {
                selected.AddRange(members);
                continue;
            }

            selected.AddRange(GreedyHypervolume(points, members, count - selected.Count));
            break;
        }

        return [.. selected];
    }

    /// <summary>Greedy hypervolume subset selection (a 1 − 1/e approximation): repeatedly the member adding the most hypervolume.</summary>
    private static IEnumerable<int> GreedyHypervolume(List<IReadOnlyList<double>> points, List<int> members, int count)
    {
        var finite = members.Where(i => points[i].All(double.IsFinite)).ToList();
        var rest = members.Where(i => !points[i].All(double.IsFinite)).ToList();
        var chosen = new List<int>(count);
        if (finite.Count > 0)
        {
            var reference = Reference(finite.Select(i => points[i]));
            var selectedPoints = new List<IReadOnlyList<double>>();
            var volume = 0.0;
            while (chosen.Count < count && finite.Count > 0)
            {
                var best = -1;
                var bestGain = double.NegativeInfinity;
                foreach (var i in finite)
                {
                    var gain = ParetoFront.Hypervolume([.. selectedPoints, points[i]], reference) - volume;
                    if (gain > bestGain)
                    {
                        best = i;
                        bestGain = gain;
                    }
                }

                chosen.Add(best);
                finite.Remove(best);
                selectedPoints.Add(points[best]);
                volume = ParetoFront.Hypervolume(selectedPoints, reference);
            }
        }

        chosen.AddRange(rest.Take(count - chosen.Count));
        return chosen;
    }

    /// <summary>Each good trial's share of the good trials' hypervolume, scaled so the largest is 1; non-finite ones get ε.</summary>
    private static double[] ContributionWeights(IReadOnlyList<TrialScore> scores, int[] below)
    {
        var weights = new double[below.Length];
        Array.Fill(weights, Epsilon);
        var finite = Enumerable.Range(0, below.Length).Where(k => scores[below[k]].Values.All(double.IsFinite)).ToList();
        if (finite.Count == 1)
        {
            weights[finite[0]] = 1;
        }
        else if (finite.Count > 1)
        {
            var points = finite.Select(k => (IReadOnlyList<double>)scores[below[k]].Values).ToList();
            var reference = Reference(points);
            var total = ParetoFront.Hypervolume(points, reference);
            var contributions = new double[finite.Count];
            for (var j = 0; j < finite.Count; j++)
            {
                var without = points.Where((_, k) => k != j).ToList();
                contributions[j] = total - ParetoFront.Hypervolume(without, reference) + Epsilon;
            }

            var max = contributions.Max();
            for (var j = 0; j < finite.Count; j++)
            {
                weights[finite[j]] = Math.Clamp(contributions[j] / max, 0, 1);
            }
        }

        return weights;
    }

    /// <summary>Optuna's reference point: the worst value per objective pushed out by 10% (ε where it is 0).</summary>
    private static double[] Reference(IEnumerable<IReadOnlyList<double>> points)
    {
        var list = points.ToList();
        var reference = new double[list[0].Count];
        for (var m = 0; m < reference.Length; m++)
        {
            var worst = list.Max(p => p[m]);
            reference[m] = Math.Max(1.1 * worst, 0.9 * worst);
            if (reference[m] == 0)
            {
                reference[m] = Epsilon;
            }
        }

        return reference;
    }
}
