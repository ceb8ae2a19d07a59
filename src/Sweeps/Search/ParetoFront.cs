using GradDescent.Abstractions.Experiments;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// Multi-objective ranking: Pareto dominance, non-dominated sorting and crowding distance (NSGA-II,
/// Deb et al. 2002) and the hypervolume. Points are objective vectors to minimise; <see cref="Orient"/>
/// turns reported values with their goals into that form.
/// </summary>
public static class ParetoFront
{
    /// <summary>Values to minimise: maximised objectives negated.</summary>
    public static double[] Orient(IReadOnlyList<double> values, IReadOnlyList<MetricGoal> goals)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(goals);
        if (values.Count != goals.Count)
        {
            throw new ArgumentException("one goal per value", nameof(goals));
        }

        var oriented = new double[values.Count];
        for (var i = 0; i < oriented.Length; i++)
        {
            oriented[i] = goals[i] == MetricGoal.Maximize ? -values[i] : values[i];
        }

        return oriented;
    }

    /// <summary>True when <paramref name="a"/> is no worse than <paramref name="b"/> everywhere and better somewhere.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var better = false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] > b[i])
            {
                return false;
            }

            better |= a[i] < b[i];
        }

        return better;
    }

    /// <summary>
    /// Each point's front: 0 for the non-dominated ones, 1 for those dominated only by front 0, and so on
    /// (fast non-dominated sort).
    /// </summary>
    public static int[] Ranks(IReadOnlyList<IReadOnlyList<double>> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var n = points.Count;
        var dominatedBy = new int[n];
        var dominates = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            dominates[i] = [];
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                if (Dominates(points[i], points[j]))
                {
                    dominates[i].Add(j);
                    dominatedBy[j]++;
                }
                else if (Dominates(points[j], points[i]))
                {
                    dominates[j].Add(i);
                    dominatedBy[i]++;
                }
            }
        }

        var ranks = new int[n];
        var current = Enumerable.Range(0, n).Where(i => dominatedBy[i] == 0).ToList();
        var rank = 0;
        while (current.Count > 0)
        {
            var next = new List<int>();
            foreach (var i in current)
            {
                ranks[i] = rank;
                foreach (var j in dominates[i])
                {
                    if (--dominatedBy[j] == 0)
                    {
                        next.Add(j);
                    }
                }
            }

            next.Sort();
            current = next;
            rank++;
        }

        return ranks;
    }

    /// <summary>The indexes of the non-dominated points, ascending.</summary>
    public static IReadOnlyList<int> NonDominated(IReadOnlyList<IReadOnlyList<double>> points)
    {
        var ranks = Ranks(points);
        return [.. Enumerable.Range(0, ranks.Length).Where(i => ranks[i] == 0)];
    }

    /// <summary>
    /// NSGA-II's crowding distance of each of <paramref name="members"/> (indexes into
    /// <paramref name="points"/>, usually one front): per objective, the members sorted, the two ends
    /// infinitely far, the others the normalised gap between their neighbours, summed over objectives.
    /// </summary>
    public static double[] CrowdingDistances(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<int> members)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(members);
        var distances = new double[members.Count];
        if (members.Count <= 2)
        {
            Array.Fill(distances, double.PositiveInfinity);
            return distances;
        }

        var objectives = points[members[0]].Count;
        for (var m = 0; m < objectives; m++)
        {
            var order = Enumerable.Range(0, members.Count).OrderBy(i => points[members[i]][m]).ThenBy(i => members[i]).ToArray();
            var lowest = points[members[order[0]]][m];
            var highest = points[members[order[^1]]][m];
            distances[order[0]] = double.PositiveInfinity;
            distances[order[^1]] = double.PositiveInfinity;
            var span = highest - lowest;
            if (span <= 0 || !double.IsFinite(span))
            {
                continue;
            }

            for (var k = 1; k < order.Length - 1; k++)
            {
                distances[order[k]] += (points[members[order[k + 1]]][m] - points[members[order[k - 1]]][m]) / span;
            }
        }

        return distances;
    }

    /// <summary>
    /// The best <paramref name="count"/> points by (front, crowding distance descending, index):
    /// NSGA-II's survivor selection. Returns indexes into <paramref name="points"/>.
    /// </summary>
    public static IReadOnlyList<int> Select(IReadOnlyList<IReadOnlyList<double>> points, int count)
    {
        var ranks = Ranks(points);
        var chosen = new List<int>(count);
        foreach (var front in Enumerable.Range(0, ranks.Length).GroupBy(i => ranks[i]).OrderBy(g => g.Key))
        {
            var members = front.ToList();
            if (chosen.Count + members.Count <= count)
            {
                chosen.AddRange(members);
                continue;
            }

            var crowding = CrowdingDistances(points, members);
            chosen.AddRange(Enumerable.Range(0, members.Count)
                .OrderByDescending(i => crowding[i]).ThenBy(i => members[i])
                .Take(count - chosen.Count)
                .Select(i => members[i]));
            break;
        }

        return chosen;
    }

    /// <summary>
    /// The hypervolume (to minimise) that <paramref name="points"/> dominate up to <paramref name="reference"/>:
    /// exact, by slicing along the last objective (fine for the tens of points TPE and reports use).
    /// Points not strictly better than the reference in every objective add nothing.
    /// </summary>
    public static double Hypervolume(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(reference);
        var inside = points.Where(p => Enumerable.Range(0, reference.Count).All(m => p[m] < reference[m])).Select(p => p.ToArray()).ToList();
        return Volume(inside, [.. reference], reference.Count);
    }

    private static double Volume(List<double[]> points, double[] reference, int dimensions)
    {
        if (points.Count == 0)
        {
            return 0;
        }

        var last = dimensions - 1;
        if (dimensions == 1)
        {
            return reference[0] - points.Min(p => p[0]);
        }

        var sorted = points.OrderBy(p => p[last]).ToList();
        if (dimensions == 2)
        {
            // Sweep by the second objective: each point adds the strip its first objective improves.
            var area = 0.0;
            var bestFirst = reference[0];
            for (var i = 0; i < sorted.Count; i++)
            {
                bestFirst = Math.Min(bestFirst, sorted[i][0]);
                var top = i + 1 < sorted.Count ? sorted[i + 1][1] : reference[1];
                area += (reference[0] - bestFirst) * (top - sorted[i][1]);
            }

            return area;
        }

        var volume = 0.0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var top = i + 1 < sorted.Count ? sorted[i + 1][last] : reference[last];
            var height = top - sorted[i][last];
            if (height > 0)
            {
                volume += height * Volume(sorted.GetRange(0, i + 1), reference, last);
            }
        }

        return volume;
    }
}
