using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Search;
using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests;

/// <summary>The ready-to-run specs in sweeps/, copied beside the test assembly by the project file.</summary>
public sealed class ShippedSpecTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "sweeps");

    private static readonly string[] FileNames = [.. Directory.GetFiles(Folder, "*.yaml").Select(f => Path.GetFileName(f)).Order()];

    public static TheoryData<string> Files => [.. FileNames];

    [Fact]
    public void Folder_HoldsEveryShippedSpec() =>
        Assert.Equal(
            [
                "adversarial-article.yaml", "adversarial-optimizers.yaml", "article-adam.yaml", "article-gd-intercept-start.yaml",
                "article-gd-slope-start.yaml", "article-rmsprop.yaml", "search-random-optimizers.yaml", "search-tpe-asha.yaml", "seed-optimizers.yaml", "vector-spread-article-force.yaml",
                "vector-spread-article.yaml", "vector-spread-methods.yaml", "vector-spread-optimizers.yaml", "vector-spread-tammes.yaml",
            ],
            FileNames);

    [Theory]
    [MemberData(nameof(Files))]
    public void ParseFile_ShippedSpec_IsValidAndNamedAfterItsFile(string file)
    {
        var spec = SweepSpecParser.ParseFile(Path.Combine(Folder, file));

        Assert.Equal(Path.GetFileNameWithoutExtension(file), spec.Name);
        Assert.False(string.IsNullOrWhiteSpace(spec.Description));
        if (spec.Search is { IsAdaptive: true } search)
        {
            // Proposed from results by the sweep grain: the first generation needs none.
            var driver = new SearchDriver(spec);
            Assert.InRange(search.Trials, 1, 1_000);
            Assert.True(driver.IsReady(0));
            Assert.Equal(search.GenerationRange(0).Count, driver.Trials(0).Count);
            return;
        }

        var plan = SweepPlan.Create(spec);
        Assert.InRange(plan.TotalTrials, 1, 1_000);
        Assert.Equal(plan.TotalTrials - 1, plan.GetTrial(plan.TotalTrials - 1).Index);
    }

    [Fact]
    public void ParseFile_SearchTpeAsha_IsAnAdaptiveSearchWithAshaOnTheLoss()
    {
        var spec = SweepSpecParser.ParseFile(Path.Combine(Folder, "search-tpe-asha.yaml"));

        var search = Assert.IsType<SweepSearch>(spec.Search);
        Assert.Equal(SearchAlgorithm.Tpe, search.Algorithm);
        Assert.True(search.IsAdaptive);
        Assert.Equal(10, search.Generations);
        var stopping = Assert.IsType<EarlyStoppingSpec>(search.EarlyStopping);
        Assert.Equal((EarlyStoppingRule.Asha, "loss", 10, 3), (stopping.Rule, stopping.Metric, stopping.MinIterations, stopping.ReductionFactor));
        Assert.Equal(["mse"], search.Objectives.Select(o => o.Name));
    }

    [Theory]
    [InlineData("article-gd-slope-start.yaml", "init_intercept=-180 intercept_grad_scale=1000 iterations=25 learning_rate=2E-05 optimizer=gd start=article")]
    [InlineData("article-gd-intercept-start.yaml", "init_slope=5 intercept_grad_scale=1000 iterations=25 learning_rate=2E-05 optimizer=gd start=exact")]
    [InlineData("article-rmsprop.yaml", "init_intercept=-180 intercept_grad_scale=1 iterations=25 learning_rate=0.1 optimizer=rmsprop start=article")]
    [InlineData("article-adam.yaml", "init_intercept=-180 intercept_grad_scale=1 iterations=50 learning_rate=0.1 optimizer=adam start=article")]
    public void ParseFile_ArticleLinearRegressionRun_IsOneTrialWithTheArticlesSettings(string file, string parameters)
    {
        var plan = SweepPlan.Create(SweepSpecParser.ParseFile(Path.Combine(Folder, file)));

        Assert.Equal(1, plan.TotalTrials);
        Assert.Equal(parameters, plan.GetTrial(0).Parameters.ToString());
    }

    [Fact]
    public void ParseFile_SeedOptimizers_CoversEveryOptimizerOverTheLearningRateGrid()
    {
        var spec = SweepSpecParser.ParseFile(Path.Combine(Folder, "seed-optimizers.yaml"));

        Assert.Equal(LinearRegressionDefinition.Name, spec.Experiment);
        Assert.Equal(OptimizerCatalog.Names, spec.Grid[0].Values.ToArray());
        Assert.Equal("0.0001", spec.Grid[1].Values[0]);
        Assert.Equal("1", spec.Grid[1].Values[^1]);
        Assert.Equal(1, spec.Repeats);
        Assert.Equal(11 * 9, spec.TotalTrials);
    }

    [Fact]
    public void ParseFile_VectorSpreadArticle_RunsTheAngleMethodsOnTwentyVectorsIn2D()
    {
        var plan = SweepPlan.Create(SweepSpecParser.ParseFile(Path.Combine(Folder, "vector-spread-article.yaml")));

        var points = plan.Enumerate().Where(t => t.Repeat == 0).Select(t => t.Parameters).ToList();

        Assert.Equal([VectorSpreadDefinition.MinAngle, VectorSpreadDefinition.MinAngleVariance], points.Select(p => p.GetText("method")));
        Assert.All(points, p => Assert.Equal(
            ("20", "2", "ascent", "0.01", "5000"),
            (p.GetText("vectors"), p.GetText("dims"), p.GetText("optimizer"), p.GetText("learning_rate"), p.GetText("iterations"))));
    }

    [Fact]
    public void ParseFile_VectorSpreadArticleForce_UsesTheArticlesDecayAndClipping()
    {
        var trial = SweepPlan.Create(SweepSpecParser.ParseFile(Path.Combine(Folder, "vector-spread-article-force.yaml"))).GetTrial(0);

        Assert.Equal(
            ("tangential-force", "0.001", "0.7", "200", "500"),
            (trial.Parameters.GetText("method"), trial.Parameters.GetText("learning_rate"), trial.Parameters.GetText("lr_decay"),
             trial.Parameters.GetText("clip_norm"), trial.Parameters.GetText("iterations")));
    }

    [Fact]
    public void ParseFile_AdversarialArticle_IsTheSignAttackTowardsDog()
    {
        var trial = SweepPlan.Create(SweepSpecParser.ParseFile(Path.Combine(Folder, "adversarial-article.yaml"))).GetTrial(0);

        Assert.Equal(
            ("dog", "sign", "1", "4"),
            (trial.Parameters.GetText("target"), trial.Parameters.GetText("optimizer"), trial.Parameters.GetText("step"), trial.Parameters.GetText("iterations")));
        Assert.False(trial.Parameters.Has("image"));
    }
}
