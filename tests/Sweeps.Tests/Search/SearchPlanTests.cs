using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests.Search;

/// <summary>Searches that do not adapt run today: SweepPlan expands them by trial index.</summary>
public sealed class SearchPlanTests
{
    private const string GridSpec = """
        name: grid
        experiment: linear-regression
        parameters: {iterations: 40}
        search:
          algorithm: grid
          batch: 5
          space:
            optimizer: {choice: [sgd, momentum, adam]}
            learning_rate: {log_uniform: [1.0e-3, 1.0], count: 4}
            momentum: {uniform: [0.5, 0.9], count: 3, when: {optimizer: [momentum]}}
        """;

    [Fact]
    public void GetTrial_Grid_WalksConditionalBranchesInOrder()
    {
        var plan = SweepPlan.Create(SweepSpecParser.Parse(GridSpec, "grid.yaml"));

        var trials = plan.Enumerate().Select(t => t.Parameters).ToList();

        Assert.Equal(20, trials.Count);
        Assert.Equal(20, plan.Points);
        Assert.Equal(
            ["sgd 0.001 -", "sgd 0.01 -", "sgd 0.1 -", "sgd 1 -", "momentum 0.001 0.5", "momentum 0.001 0.7", "momentum 0.001 0.9", "momentum 0.01 0.5"],
            trials.Take(8).Select(p => $"{p.GetText("optimizer")} {p.GetText("learning_rate")} {p.GetTextOrNull("momentum") ?? "-"}"));
        Assert.Equal("adam 1 -", $"{trials[19].GetText("optimizer")} {trials[19].GetText("learning_rate")} {trials[19].GetTextOrNull("momentum") ?? "-"}");
        Assert.All(trials, p => Assert.Equal("40", p.GetText("iterations")));
        Assert.Equal(20, trials.Select(p => p.ToString()).Distinct().Count());
    }

    [Fact]
    public void GetTrial_RandomSearch_DrawsLikeRandomSpace()
    {
        var search = SweepSpecParser.Parse("""
            name: random
            experiment: linear-regression
            search:
              algorithm: random
              trials: 30
              seed: 5
              space:
                learning_rate: {log_uniform: [1.0e-4, 1.0]}
                optimizer: {choice: [adam, rmsprop]}
            """, "search.yaml");
        var random = SweepSpecParser.Parse("""
            name: random
            experiment: linear-regression
            seed: 5
            random:
              samples: 30
              space:
                learning_rate: {log_uniform: [1.0e-4, 1.0]}
                optimizer: {choice: [adam, rmsprop]}
            """, "random.yaml");

        var fromSearch = SweepPlan.Create(search).Enumerate().Select(t => t.Parameters.ToString());
        var fromRandom = SweepPlan.Create(random).Enumerate().Select(t => t.Parameters.ToString());

        Assert.Equal(fromRandom, fromSearch);
    }

    [Fact]
    public void GetTrial_RandomSearchWithCondition_LeavesInactiveParametersToTheirDefaults()
    {
        var plan = SweepPlan.Create(SweepSpecParser.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Conditional, "random", 200, 20, 1), "c.yaml"));

        var trials = plan.Enumerate().Select(t => t.Parameters).ToList();

        Assert.All(trials, p => Assert.Equal(p.GetText("optimizer") == "momentum", p.Has("momentum")));
        Assert.All(trials, p => Assert.InRange(p.GetInt("iterations"), 10, 200));
        Assert.All(trials, p => Assert.InRange(p.GetDouble("learning_rate"), 1e-5, 1.0));
        Assert.Equal(4, trials.Select(p => p.GetText("optimizer")).Distinct().Count());
        Assert.All(plan.Enumerate(), t => Assert.Equal((0, 0), (t.Seed, t.Repeat)));
    }

    [Fact]
    public void GetTrial_AdaptiveSearch_SaysASearchDriverProposesIt()
    {
        var plan = SweepPlan.Create(SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Quadratic, "tpe", 20, 5, 1)));

        var ex = Assert.Throws<InvalidOperationException>(() => plan.GetTrial(0));

        Assert.Equal(20, plan.TotalTrials);
        Assert.Contains("a SearchDriver proposes them", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SearchDriver_Grid_ProposesWhatThePlanExpands()
    {
        var spec = SweepSpecParser.Parse(GridSpec, "grid.yaml");
        var driver = new SearchDriver(spec);

        var proposed = SearchHarness.Run(driver, _ => 1.0).Select(r => r.Parameters.ToString());

        Assert.Equal(SweepPlan.Create(spec).Enumerate().Select(t => t.Parameters.ToString()), proposed);
    }
}
