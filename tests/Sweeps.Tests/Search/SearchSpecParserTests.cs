using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Search;
using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests.Search;

public sealed class SearchSpecParserTests
{
    /// <summary>The spec of the issue, verbatim but for name and experiment.</summary>
    private const string IssueSpec = """
        name: tpe-linear
        experiment: linear-regression
        search:
          algorithm: tpe            # tpe | random | grid (today's behaviour)
          trials: 400               # budget
          batch: 64                 # trials proposed at once (fills a fused batch)
          seed: 1
          space:                    # the distributions of random.space, plus nested choices
            optimizer: {choice: [sgd, momentum, rmsprop, adam]}
            learning_rate: {log_uniform: [1.0e-5, 1.0]}
            momentum: {uniform: [0.0, 0.99], when: {optimizer: [momentum]}}
        early_stopping:
          algorithm: asha           # asha | median | none
          metric_step: 10           # evaluate every N iterations
          reduction_factor: 3
          min_iterations: 10
        objectives:                 # optional; default: the experiment's metric and goal
          - {metric: mse, goal: minimize}
        parameters:
          iterations: 100
        """;

    [Fact]
    public void Parse_IssueSpec_ReadsEverySection()
    {
        var spec = SearchHarness.Parse(IssueSpec);

        var search = spec.Search!;
        Assert.Equal(SearchAlgorithm.Tpe, search.Algorithm);
        Assert.Equal(400, search.Trials);
        Assert.Equal(64, search.Batch);
        Assert.Equal(1, search.Seed);
        Assert.Equal(7, search.Generations);
        Assert.Equal(400, spec.TotalTrials);
        Assert.Equal(["optimizer", "learning_rate", "momentum"], search.Space.Select(d => d.Name));
        Assert.Equal(["sgd", "momentum", "rmsprop", "adam"], search.Space[0].Draw.Choices.ToArray());
        Assert.Equal((RandomDistribution.LogUniform, 1e-5, 1.0), (search.Space[1].Draw.Distribution, search.Space[1].Draw.Low, search.Space[1].Draw.High));
        var condition = Assert.Single(search.Space[2].When);
        Assert.Equal("optimizer", condition.Parameter);
        Assert.Equal(["momentum"], condition.Values.ToArray());
        Assert.Equal(new EarlyStoppingSpec(EarlyStoppingRule.Asha, "loss", 10, 10, 3, 0), search.EarlyStopping);
        Assert.Equal([new SweepObjective("mse", MetricGoal.Minimize, null)], search.Objectives.ToArray());
        Assert.Null(spec.Random);
        Assert.Empty(spec.Grid);
    }

    [Fact]
    public void Parse_MinimalSearch_TakesDefaults()
    {
        var spec = SearchHarness.Parse("""
            name: defaults
            experiment: vector-spread
            seed: 9
            search:
              trials: 50
              space:
                learning_rate: {log_uniform: [1.0e-4, 1.0]}
            """);

        var search = spec.Search!;
        Assert.Equal(SearchAlgorithm.Tpe, search.Algorithm);
        Assert.Equal(32, search.Batch);
        Assert.Equal(9, search.Seed);
        Assert.Equal(1, search.ParallelBatches);
        Assert.Equal(ConstantLiar.Worst, search.Liar);
        Assert.Equal(10, search.StartupTrials);
        Assert.Equal(24, search.Candidates);
        Assert.Null(search.EarlyStopping);
        Assert.Equal([new SweepObjective("min_angle_deg", MetricGoal.Maximize, null)], search.Objectives.ToArray());
        Assert.Equal(2, search.Generations);
        Assert.Equal((32L, 18), search.GenerationRange(1));
    }

    [Fact]
    public void Parse_EveryOptionalKey_IsRead()
    {
        var spec = SearchHarness.Parse("""
            name: options
            experiment: vector-spread
            parameters: {vectors: 12, dims: 3, iterations: 300}
            search:
              algorithm: tpe
              trials: 40
              batch: 8
              parallel_batches: 2
              liar: mean
              startup_trials: 4
              candidates: 48
              space:
                method: {choice: [min-angle, tangential-force]}
                lr_decay: {uniform: [0.5, 1.0]}
            objectives:
              - {metric: min_angle_deg}
              - {metric: min_angle_deg, reach: 0.99}
            """);

        var search = spec.Search!;
        Assert.Equal((2, ConstantLiar.Mean, 4, 48), (search.ParallelBatches, search.Liar, search.StartupTrials, search.Candidates));
        Assert.Equal(
            [new SweepObjective("min_angle_deg", MetricGoal.Maximize, null), new SweepObjective("min_angle_deg", MetricGoal.Minimize, 0.99)],
            search.Objectives.ToArray());
        Assert.Equal("iterations_to_99pct_min_angle_deg", search.Objectives[1].Name);
        Assert.True(search.IsMultiObjective);
    }

    [Fact]
    public void Parse_BatchLargerThanTheBudget_IsOneShortGeneration()
    {
        var search = SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Quadratic, "random", 5, int.MaxValue, 0)).Search!;

        Assert.Equal(1, search.Generations);
        Assert.Equal((0L, 5), search.GenerationRange(0));
    }

    [Fact]
    public void Parse_MedianStopping_ReadsItsKeys()
    {
        var spec = SearchHarness.Parse("""
            name: median
            experiment: linear-regression
            parameters: {iterations: 300}
            search:
              trials: 40
              space:
                learning_rate: {log_uniform: [1.0e-4, 1.0]}
            early_stopping: {algorithm: median, metric_step: 5, min_iterations: 20, startup_trials: 3}
            """);

        Assert.Equal(new EarlyStoppingSpec(EarlyStoppingRule.Median, "loss", 5, 20, 0, 3), spec.Search!.EarlyStopping);
    }

    [Fact]
    public void Parse_EarlyStoppingNone_MeansNoEarlyStopping()
    {
        var spec = SweepSpecParser.Parse("""
            name: none
            experiment: linear-regression
            search:
              algorithm: random
              trials: 10
              space:
                learning_rate: {log_uniform: [1.0e-4, 1.0]}
            early_stopping: {algorithm: none}
            """, "none.yaml");

        Assert.Null(spec.Search!.EarlyStopping);
        Assert.False(spec.Search.IsAdaptive);
    }

    [Fact]
    public void Parse_GridAlgorithm_CountsConditionalBranches()
    {
        var spec = SweepSpecParser.Parse("""
            name: grid
            experiment: linear-regression
            search:
              algorithm: grid
              space:
                optimizer: {choice: [sgd, momentum, adam]}
                learning_rate: {log_uniform: [1.0e-3, 1.0], count: 4}
                momentum: {uniform: [0.5, 0.9], count: 3, when: {optimizer: [momentum]}}
            """, "grid.yaml");

        // sgd: 4 learning rates; momentum: 4 × 3 momenta; adam: 4.
        Assert.Equal(20, spec.Search!.Trials);
        Assert.Equal(20, spec.TotalTrials);
    }

    [Fact]
    public void Parse_SearchWithoutAdaptiveParts_IsAcceptedByDefault()
    {
        var spec = SweepSpecParser.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Conditional, "random", 30, 10, 4), "random.yaml");

        Assert.False(spec.Search!.IsAdaptive);
        Assert.Equal(30, SweepPlan.Create(spec).TotalTrials);
    }

    [Fact]
    public void Parse_JsonSearch_EqualsYaml()
    {
        var yaml = SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Conditional, "tpe", 30, 10, 4));
        var json = SweepSpecParser.Parse("""
            {"name": "conditional", "experiment": "linear-regression",
             "search": {"algorithm": "tpe", "trials": 30, "batch": 10, "seed": 4, "space": {
               "optimizer": {"choice": ["sgd", "momentum", "rmsprop", "adam"]},
               "learning_rate": {"log_uniform": [1.0e-5, 1.0]},
               "momentum": {"uniform": [0.0, 0.99], "when": {"optimizer": ["momentum"]}},
               "iterations": {"int_uniform": [10, 200]}}}}
            """, "search.json");

        Assert.Equal(Describe(yaml.Search!), Describe(json.Search!));
    }

    private static string Describe(SweepSearch search) =>
        $"{search with { Space = [], Objectives = [] }} | " + string.Join("; ", search.Space.Select(d =>
            $"{d.Draw with { Choices = [] }} {string.Join(",", d.Draw.Choices)} {d.Count} {string.Join(",", d.When.Select(c => $"{c.Parameter}={string.Join("/", c.Values)}"))}"))
        + " | " + string.Join(",", search.Objectives);
}
