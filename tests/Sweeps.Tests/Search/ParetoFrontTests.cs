using GradDescent.Abstractions.Experiments;
using GradDescent.Sweeps.Search;
using Xunit.Abstractions;

namespace GradDescent.Sweeps.Tests.Search;

public sealed class ParetoFrontTests(ITestOutputHelper output)
{
    private static readonly long[] Seeds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Fact]
    public void Ranks_RandomClouds_AreConsistentFronts()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var rng = new SearchRandom((ulong)seed);
            var points = Enumerable.Range(0, 60).Select(_ => (IReadOnlyList<double>)[Math.Round(rng.NextDouble(), 1), Math.Round(rng.NextDouble(), 1), rng.NextDouble()]).ToList();

            var ranks = ParetoFront.Ranks(points);

            for (var i = 0; i < points.Count; i++)
            {
                // No point is dominated by one of its own front or a later one...
                Assert.DoesNotContain(Enumerable.Range(0, points.Count), j => ranks[j] >= ranks[i] && ParetoFront.Dominates(points[j], points[i]));

                // ...and every point past front 0 is dominated by one in the front just before.
                if (ranks[i] > 0)
                {
                    Assert.Contains(Enumerable.Range(0, points.Count), j => ranks[j] == ranks[i] - 1 && ParetoFront.Dominates(points[j], points[i]));
                }
            }
        }
    }

    [Fact]
    public void Dominates_NeedsBetterSomewhereAndWorseNowhere()
    {
        Assert.True(ParetoFront.Dominates([1, 2], [1, 3]));
        Assert.False(ParetoFront.Dominates([1, 2], [1, 2]));
        Assert.False(ParetoFront.Dominates([0, 3], [1, 2]));
    }

    [Fact]
    public void Orient_NegatesMaximisedObjectives() =>
        Assert.Equal([-30.0, 5], ParetoFront.Orient([30, 5], [MetricGoal.Maximize, MetricGoal.Minimize]));

    [Fact]
    public void CrowdingDistances_EndsAreInfinite_InnerPointsSumNormalisedGaps()
    {
        IReadOnlyList<IReadOnlyList<double>> points = [[0, 4], [1, 2], [3, 1], [4, 0]];

        var distances = ParetoFront.CrowdingDistances(points, [0, 1, 2, 3]);

        Assert.Equal(double.PositiveInfinity, distances[0]);
        Assert.Equal(double.PositiveInfinity, distances[3]);
        Assert.Equal((3 - 0) / 4.0 + (4 - 1) / 4.0, distances[1], 1e-12);
        Assert.Equal((4 - 1) / 4.0 + (2 - 0) / 4.0, distances[2], 1e-12);
    }

    [Fact]
    public void Select_TakesWholeFrontsThenTheLeastCrowded()
    {
        IReadOnlyList<IReadOnlyList<double>> points = [[0, 4], [1, 2], [3, 1], [4, 0], [2, 2.5], [5, 5], [1.05, 1.95]];

        var chosen = ParetoFront.Select(points, 4);

        // Front 0 has five points, [0,4], [1,2], [3,1], [4,0] and [1.05,1.95] (neither of the last pair
        // dominates the other); of the crowded pair near (1, 2) one goes. [2,2.5] and [5,5] are dominated.
        Assert.Equal(4, chosen.Count);
        Assert.Contains(0, chosen);
        Assert.Contains(2, chosen);
        Assert.Contains(3, chosen);
        Assert.True(chosen.Contains(1) ^ chosen.Contains(6));
    }

    [Fact]
    public void Hypervolume_TwoAndThreeObjectives_MatchHandComputedVolumes()
    {
        // Staircase (1,3), (2,2), (3,1) under reference (4,4): 3 + 2 + 1 = 6.
        Assert.Equal(6.0, ParetoFront.Hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]), 1e-12);

        // Dominated and outside points add nothing.
        Assert.Equal(6.0, ParetoFront.Hypervolume([[1, 3], [2, 2], [3, 1], [3, 3], [5, 0]], [4, 4]), 1e-12);

        // Two boxes in 3-D against reference (3,3,3), by inclusion–exclusion.
        var a = new double[] { 1, 1, 1 }; // box (1..3)³ = 8
        var b = new double[] { 0, 2, 2 }; // box 3 × 1 × 1 = 3
        // Overlap: (1..3) × (2..3) × (2..3) = 2 × 1 × 1 = 2.
        Assert.Equal(8 + 3 - 2.0, ParetoFront.Hypervolume([a, b], [3, 3, 3]), 1e-12);
    }

    [Fact]
    public void Tpe_TwoObjectives_CoversMoreHypervolumeThanRandomSearch()
    {
        var tpe = Seeds.Select(seed => FrontHypervolume("tpe", seed)).ToList();
        var nsga = Seeds.Select(seed => FrontHypervolume("nsga2", seed)).ToList();
        var random = Seeds.Select(seed => FrontHypervolume("random", seed)).ToList();

        output.WriteLine($"ZDT1, 80 trials: median hypervolume tpe {SearchHarness.Median(tpe):F4}, nsga2 {SearchHarness.Median(nsga):F4}, random {SearchHarness.Median(random):F4} (the true front's: {(1.1 * 11) - (1 / 3.0):F4})");
        Assert.True(SearchHarness.Median(tpe) > SearchHarness.Median(random));
        Assert.True(tpe.Zip(random).Count(p => p.First > p.Second) >= 7);
    }

    private static double FrontHypervolume(string algorithm, long seed)
    {
        var spec = SearchHarness.Parse($"""
            name: zdt1
            experiment: linear-regression
            search:
              algorithm: {algorithm}
              trials: 80
              batch: 8
              seed: {seed}
              space:
                init_slope: {"{uniform: [0, 1]}"}
                init_intercept: {"{uniform: [0, 1]}"}
            objectives:
              - {"{metric: mse, goal: minimize}"}
              - {"{metric: slope, goal: minimize}"}
            """);
        var results = SearchHarness.Run(new SearchDriver(spec), p =>
        {
            var (f1, f2) = SyntheticObjectives.Zdt1(p);
            return new Dictionary<string, double> { ["mse"] = f1, ["slope"] = f2 };
        });
        IReadOnlyList<IReadOnlyList<double>> points = [.. results.Select(r => (IReadOnlyList<double>)[r.Metrics["mse"], r.Metrics["slope"]])];
        return ParetoFront.Hypervolume(points, [1.1, 11]);
    }
}
