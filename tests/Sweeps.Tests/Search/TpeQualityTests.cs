using GradDescent.Sweeps.Search;
using Xunit.Abstractions;

namespace GradDescent.Sweeps.Tests.Search;

/// <summary>
/// TPE against random search at equal budgets on cheap objectives, over seeds 0–9. Everything is
/// deterministic for its seeds, so the margins below are fixed facts of this code, not chances.
/// </summary>
public sealed class TpeQualityTests(ITestOutputHelper output)
{
    private static readonly long[] Seeds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    /// <param name="ratio">TPE's median gap to the minimum must be under this fraction of random search's.</param>
    [Theory]
    [InlineData("quadratic", 60, 4, 0.5)]
    [InlineData("branin", 80, 8, 0.3)]
    // A trap: the best optimizer needs three parameters right, so most seeds settle on the second best.
    [InlineData("conditional", 100, 10, 0.8)]
    public void Tpe_MedianBestFound_BeatsRandomSearch(string problem, int trials, int batch, double ratio)
    {
        var objective = SyntheticObjectives.All.Single(p => p.Name == problem);

        var tpe = Seeds.Select(seed => BestFound(objective, "tpe", trials, batch, seed)).ToList();
        var random = Seeds.Select(seed => BestFound(objective, "random", trials, batch, seed)).ToList();

        var tpeGap = SearchHarness.Median(tpe) - objective.Minimum;
        var randomGap = SearchHarness.Median(random) - objective.Minimum;
        output.WriteLine($"{problem}: median gap to the minimum: tpe {tpeGap:G4}, random {randomGap:G4}; tpe better on {tpe.Zip(random).Count(p => p.First < p.Second)} of 10 seeds");
        Assert.True(tpeGap < ratio * randomGap, $"TPE's median gap {tpeGap} should be under {ratio} of random search's {randomGap}");
        Assert.True(tpe.Zip(random).Count(p => p.First < p.Second) >= 6, "TPE should find the better point on at least 6 of 10 seeds");
    }

    [Fact]
    public void Tpe_StartupTrials_AreTheRandomSearchPoints()
    {
        var tpe = new SearchDriver(SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Conditional, "tpe", 40, 10, 3)));
        var random = new SearchDriver(SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Conditional, "random", 40, 10, 3)));

        var fromTpe = SearchHarness.Run(tpe, SyntheticObjectives.Conditional.Evaluate);
        var fromRandom = SearchHarness.Run(random, SyntheticObjectives.Conditional.Evaluate);

        // Generation 0 has no results (10 startup trials); from generation 1 on TPE uses them.
        Assert.Equal(fromRandom.Take(10).Select(r => r.Parameters.ToString()), fromTpe.Take(10).Select(r => r.Parameters.ToString()));
        Assert.NotEqual(fromRandom.Skip(10).Select(r => r.Parameters.ToString()), fromTpe.Skip(10).Select(r => r.Parameters.ToString()));
    }

    [Fact]
    public void Tpe_ConditionalParameter_IsOnlyProposedWhenActive()
    {
        var driver = new SearchDriver(SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Conditional, "tpe", 120, 10, 0)));

        var results = SearchHarness.Run(driver, SyntheticObjectives.Conditional.Evaluate);

        Assert.All(results, r => Assert.Equal(r.Parameters.GetText("optimizer") == "momentum", r.Parameters.Has("momentum")));
        // The model learns which optimizer is good: most of the last 50 proposals use the best trial's.
        var best = results.MinBy(r => r.Metrics["mse"])!.Parameters.GetText("optimizer");
        Assert.True(results.Skip(70).Count(r => r.Parameters.GetText("optimizer") == best) >= 35);
    }

    [Theory]
    [InlineData("worst")]
    [InlineData("mean")]
    [InlineData("best")]
    public void Tpe_ConstantLiar_KeepsABatchsPointsApart(string liar)
    {
        var driver = new SearchDriver(SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Quadratic, "tpe", 48, 16, 2, $"  liar: {liar}\n")));

        var results = SearchHarness.Run(driver, SyntheticObjectives.Quadratic.Evaluate);

        foreach (var generation in results.Chunk(16).Skip(1))
        {
            Assert.Equal(16, generation.Select(r => r.Parameters.ToString()).Distinct().Count());
        }
    }

    [Fact]
    public void Tpe_WorstLiar_SpreadsABatchMoreThanTheBestLiar()
    {
        double Spread(string liar)
        {
            var driver = new SearchDriver(SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Quadratic, "tpe", 64, 32, 4, $"  liar: {liar}\n")));
            var last = SearchHarness.Run(driver, SyntheticObjectives.Quadratic.Evaluate).Skip(32)
                .Select(r => (X: r.Parameters.GetDouble("init_slope"), Y: r.Parameters.GetDouble("init_intercept"))).ToList();
            var (mx, my) = (last.Average(p => p.X), last.Average(p => p.Y));
            return last.Average(p => ((p.X - mx) * (p.X - mx)) + ((p.Y - my) * (p.Y - my)));
        }

        var worst = Spread("worst");
        var best = Spread("best");
        output.WriteLine($"spread of the second batch: worst liar {worst:G4}, best liar {best:G4}");
        Assert.True(worst > best, $"the worst liar should spread a batch ({worst}) more than the best liar ({best})");
    }

    private static double BestFound(SyntheticObjectives.Problem problem, string algorithm, int trials, int batch, long seed)
    {
        var driver = new SearchDriver(SearchHarness.Parse(SyntheticObjectives.Spec(problem, algorithm, trials, batch, seed)));
        return SearchHarness.BestSoFar(SearchHarness.Run(driver, problem.Evaluate))[^1];
    }
}
