using System.Collections.Immutable;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// Parameter importance by fANOVA (Hutter, Hoos and Leyton-Brown 2014), as Optuna's default evaluator
/// computes it: a <see cref="RandomForest"/> is fitted to the completed trials' objective over the
/// parameters every one of them has (log-scaled ones in log space, choices by index); for each tree, the
/// variance of the tree's prediction over the uniform measure on the space is split into main effects,
/// the variance of each parameter's marginal (the prediction averaged over all other parameters) being
/// that parameter's share. Shares are averaged over the trees and scaled to sum to 1. Interactions are
/// not attributed to either parameter, and conditional parameters (absent from some trials) are left out,
/// as in Optuna.
/// </summary>
public static class ParameterImportance
{
    /// <summary>Importance per parameter name (summing to 1), most important first; empty when fewer than two trials vary.</summary>
    /// <param name="space">The search space.</param>
    /// <param name="observations">Finished trials; only completed ones count.</param>
    /// <param name="objective">Which objective (index into the search's objectives).</param>
    /// <param name="seed">Seeds the forest.</param>
    public static ImmutableArray<(string Parameter, double Importance)> Fanova(SearchSpace space, IEnumerable<TrialObservation> observations, int objective, long seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(observations);
        var completed = observations.Where(o => o.Kind == ObservationKind.Completed && double.IsFinite(o.Values[objective])).OrderBy(o => o.Index).ToList();
        var features = Enumerable.Range(0, space.Count).Where(d => completed.Count > 0 && completed.All(o => o.Point.IsActive(d))).ToArray();
        if (completed.Count < 2 || features.Length == 0)
        {
            return [];
        }

        var bounds = features.Select(d => Bounds(space[d].Draw)).ToList();
        var x = completed.Select(o => features.Select(d => Feature(space[d].Draw, o.Point[d])).ToArray()).ToList();
        var y = completed.Select(o => o.Values[objective]).ToList();
        if (y.All(v => v == y[0]))
        {
            return [];
        }

        var forest = RandomForest.Fit(x, y, seed);
        var shares = new double[features.Length];
        var counted = 0;
        foreach (var tree in forest.Trees)
        {
            var leaves = tree.Leaves(bounds).ToList();
            var total = TotalVariance(leaves, bounds);
            if (total <= 0)
            {
                continue;
            }

            counted++;
            for (var f = 0; f < features.Length; f++)
            {
                shares[f] += MarginalVariance(tree, leaves, bounds, f) / total;
            }
        }

        var sum = shares.Sum();
        if (counted == 0 || sum <= 0)
        {
            return [];
        }

        return [.. Enumerable.Range(0, features.Length)
            .Select(f => (space[features[f]].Name, shares[f] / sum))
            .OrderByDescending(p => p.Item2)
            .ThenBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>The feature's range under the uniform measure: model space, integers widened by ½, choices [0, k).</summary>
    private static (double Low, double High) Bounds(RandomDimension draw) => draw.Distribution switch
    {
        RandomDistribution.Choice => (0, draw.Choices.Length),
        RandomDistribution.LogUniform => (Math.Log(draw.Low), Math.Log(draw.High)),
        RandomDistribution.IntUniform => (draw.Low - 0.5, draw.High + 0.5),
        _ => (draw.Low, draw.High),
    };

    private static double Feature(RandomDimension draw, double value) => draw.Distribution switch
    {
        RandomDistribution.Choice => value + 0.5,
        RandomDistribution.LogUniform => Math.Log(value),
        _ => value,
    };

    /// <summary>Variance of the tree's prediction under the uniform measure on the box.</summary>
    private static double TotalVariance(List<(double[] Low, double[] High, double Value)> leaves, List<(double Low, double High)> bounds)
    {
        double mean = 0, squares = 0;
        foreach (var (low, high, value) in leaves)
        {
            var fraction = Fraction(low, high, bounds, skip: -1);
            mean += fraction * value;
            squares += fraction * value * value;
        }

        return squares - (mean * mean);
    }

    /// <summary>
    /// Variance of the marginal of feature f: its range cut at the tree's thresholds on f; on each piece the
    /// marginal is the sum over the leaves covering it of value × the leaf's share of the other features.
    /// </summary>
    private static double MarginalVariance(RegressionTree tree, List<(double[] Low, double[] High, double Value)> leaves, List<(double Low, double High)> bounds, int f)
    {
        var (low, high) = bounds[f];
        var cuts = tree.Thresholds(f).Where(t => t > low && t < high).Append(low).Append(high).Distinct().Order().ToArray();
        var width = high - low;
        double mean = 0, squares = 0;
        for (var k = 0; k + 1 < cuts.Length; k++)
        {
            var middle = 0.5 * (cuts[k] + cuts[k + 1]);
            var marginal = 0.0;
            foreach (var (leafLow, leafHigh, value) in leaves)
            {
                if (middle >= leafLow[f] && middle < leafHigh[f])
                {
                    marginal += value * Fraction(leafLow, leafHigh, bounds, skip: f);
                }
            }

            var weight = (cuts[k + 1] - cuts[k]) / width;
            mean += weight * marginal;
            squares += weight * marginal * marginal;
        }

        return squares - (mean * mean);
    }

    private static double Fraction(double[] low, double[] high, List<(double Low, double High)> bounds, int skip)
    {
        var fraction = 1.0;
        for (var i = 0; i < bounds.Count; i++)
        {
            if (i != skip)
            {
                fraction *= (high[i] - low[i]) / (bounds[i].High - bounds[i].Low);
            }
        }

        return fraction;
    }
}
