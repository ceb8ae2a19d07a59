using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Trials;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.LinearRegression;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.LinearRegression;

public sealed class LinearRegressionExperimentTests
{
    // Points (1, 0) and (-1, 0): loss = slope² + intercept², gradient (2*slope, 2*intercept), exact (0, 0, 0).
    private const string TwoPoints = "Height,Weight\n1,0\n-1,0\n";

    private readonly LinearRegressionExperiment experiment = new(TempCsvFile.Gate);

    [Fact]
    public void RunFused_TwoPointsGd_RecordsLossBeforeAndParametersAfterEachUpdate()
    {
        // Start (1, 1), lr 0.25: loss0 = 2, each update halves both parameters, loss1 = 0.5, loss2 = 0.125.
        using var file = new TempCsvFile(TwoPoints);
        var outcome = RunAlone(Bind(("data", file.Path), ("learning_rate", 0.25), ("iterations", 3), ("init_slope", 1.0), ("init_intercept", 1.0)));

        Assert.Equal(TrialStatus.Completed, outcome.Status);
        Assert.Equal([2f, 0.5f, 0.125f], Series(outcome, "loss"));
        Assert.Equal([0.5f, 0.25f, 0.125f], Series(outcome, "slope"));
        Assert.Equal([0.5f, 0.25f, 0.125f], Series(outcome, "intercept"));
        Assert.Equal(0.125, outcome.Metrics["loss"]);
        Assert.Equal(0.03125, outcome.Metrics["mse"]);
        Assert.Equal(0.125, outcome.Metrics["slope"]);
        Assert.Equal(0.0, outcome.Metrics["exact_slope"], 12);
        Assert.Equal(0.0, outcome.Metrics["exact_mse"], 12);
        Assert.Equal(0.03125, outcome.Metrics["mse_gap"], 12);
    }

    [Fact]
    public void RunFused_InterceptGradScale_MultipliesOnlyTheInterceptGradient()
    {
        // Start (1, 1), lr 0.25, scale 2: slope 1 - 0.25*2 = 0.5, intercept 1 - 0.25*2*2 = 0.
        using var file = new TempCsvFile(TwoPoints);
        var outcome = RunAlone(Bind(("data", file.Path), ("learning_rate", 0.25), ("iterations", 1), ("init_slope", 1.0), ("init_intercept", 1.0), ("intercept_grad_scale", 2.0)));
        Assert.Equal([0.5f], Series(outcome, "slope"));
        Assert.Equal([0f], Series(outcome, "intercept"));
    }

    [Fact]
    public void RunFused_GdOnWellConditionedData_ConvergesToTheExactSolution()
    {
        // x̄ = 0, Σxy = 22, Σx² = 10 → slope 2.2, intercept ȳ = 1.2.
        using var file = new TempCsvFile("Height,Weight\n-2,-3\n-1,-1\n0,1\n1,3\n2,6\n");
        var outcome = RunAlone(Bind(("data", file.Path), ("learning_rate", 0.1), ("iterations", 200), ("init_slope", 0.0), ("init_intercept", 0.0)));
        Assert.Equal(2.2, outcome.Metrics["exact_slope"], 12);
        Assert.Equal(1.2, outcome.Metrics["exact_intercept"], 12);
        Assert.Equal(2.2, outcome.Metrics["slope"], 5);
        Assert.Equal(1.2, outcome.Metrics["intercept"], 5);
        Assert.InRange(outcome.Metrics["mse_gap"], -1e-5, 1e-5);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RunFused_ArticleManualRun_LossDecreasesFromTheStart(bool fromInterceptMinus180)
    {
        // The article: lr 2e-5, intercept gradient x1000, 25 iterations, from (exact slope, -180) or (5.0, exact intercept).
        var parameters = fromInterceptMinus180
            ? Bind(("learning_rate", 2e-5), ("intercept_grad_scale", 1000.0), ("iterations", 25), ("init_intercept", -180.0))
            : Bind(("learning_rate", 2e-5), ("intercept_grad_scale", 1000.0), ("iterations", 25), ("start", "exact"), ("init_slope", 5.0));
        var outcome = RunAlone(parameters);

        var loss = Series(outcome, "loss");
        Assert.Equal(TrialStatus.Completed, outcome.Status);
        Assert.Equal(25, loss.Length);
        for (var i = 1; i < loss.Length; i++)
        {
            Assert.True(loss[i] < loss[i - 1], $"loss rose at step {i}: {loss[i - 1]} → {loss[i]}");
        }

        Assert.True(outcome.Metrics["mse"] < loss[0] / 2, $"mse {outcome.Metrics["mse"]} vs starting loss {loss[0]}");
        Assert.True(outcome.Metrics["mse_gap"] >= -1e-3, "gradient descent cannot beat least squares");
    }

    [Theory]
    [InlineData("rmsprop", 25)]
    [InlineData("adam", 50)]
    public void RunFused_ArticleOptimizerRuns_MoveTheInterceptTowardsTheExactOne(string optimizer, int iterations)
    {
        var outcome = RunAlone(Bind(("optimizer", optimizer), ("learning_rate", 0.1), ("iterations", iterations), ("init_intercept", -180.0)));
        var loss = Series(outcome, "loss");
        Assert.Equal(TrialStatus.Completed, outcome.Status);
        Assert.True(loss[^1] < loss[0], $"{optimizer}: loss {loss[0]} → {loss[^1]}");
        var exact = outcome.Metrics["exact_intercept"];
        Assert.True(Math.Abs(outcome.Metrics["intercept"] - exact) < Math.Abs(-180.0 - exact));
    }

    public static TheoryData<string> Optimizers() => [.. OptimizerCatalog.Names];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void RunFused_ThreeTrials_EqualsEachTrialRunAlone(string optimizer)
    {
        var adaptive = optimizer is not ("gd" or "sgd" or "momentum" or "nesterov");
        double[] rates = adaptive ? [0.05, 0.1, 0.2] : [1e-5, 2e-5, 3e-5];
        ParameterSet[] trials =
        [
            Bind(("optimizer", optimizer), ("learning_rate", rates[0]), ("init_intercept", -180.0), ("intercept_grad_scale", 1000.0)),
            Bind(("optimizer", optimizer), ("learning_rate", rates[1]), ("init_slope", 5.0), ("beta1", 0.8), ("momentum", 0.5), ("rho", 0.8)),
            Bind(("optimizer", optimizer), ("learning_rate", rates[2]), ("init_slope", 6.5), ("init_intercept", -200.0), ("intercept_grad_scale", 10.0), ("epsilon", 1e-3)),
        ];

        var fused = experiment.RunFused(trials.Select(p => new TrialInput(p, 1)).ToList(), torch.CPU, CancellationToken.None);
        Assert.Equal(3, fused.Count);
        for (var b = 0; b < trials.Length; b++)
        {
            var alone = RunAlone(trials[b]);
            Assert.Equal(alone.DivergedAtStep, fused[b].DivergedAtStep);
            foreach (var (name, value) in alone.Metrics)
            {
                AssertClose(value, fused[b].Metrics[name], $"{optimizer} trial {b} {name}");
            }

            foreach (var series in alone.History)
            {
                var other = Series(fused[b], series.Metric);
                Assert.Equal(series.Values.Length, other.Length);
                for (var i = 0; i < other.Length; i++)
                {
                    AssertClose(series.Values[i], other[i], $"{optimizer} trial {b} {series.Metric}[{i}]");
                }
            }
        }

        Assert.NotEqual(fused[0].Metrics["slope"], fused[1].Metrics["slope"]);
    }

    [Fact]
    public void RunFused_HugeLearningRate_ReportsDivergedAtTheFirstOverflow()
    {
        // lr 1e6 on the two points: each update multiplies both parameters by 1 - 2e6. From (1, 1) both
        // are ±1999999^k at step k, the loss 2 * 1999999^(2k): 2.6e25 at k = 2, 1.3e38 at k = 3 (fits
        // float32's 3.4e38), 5e50 at k = 4 (infinite), while the parameters stay finite up to 1999999^5.
        using var file = new TempCsvFile(TwoPoints);
        var outcome = RunAlone(Bind(("data", file.Path), ("learning_rate", 1e6), ("iterations", 10), ("init_slope", 1.0), ("init_intercept", 1.0)));

        Assert.Equal(TrialStatus.Diverged, outcome.Status);
        Assert.Equal(4, outcome.DivergedAtStep);
        var loss = Series(outcome, "loss");
        Assert.Equal(5, loss.Length);
        Assert.True(loss.Take(4).All(float.IsFinite));
        Assert.False(float.IsFinite(loss[4]));
        Assert.Equal(5, outcome.ToDocument()["history"]!.AsArray().Count);
        Assert.Null(outcome.ToDocument()["history"]![4]!["loss"]);
        Assert.True(outcome.Metrics.ContainsKey("mse"));
    }

    [Fact]
    public void RunFused_NoParameters_StartsAtTheArticlesFirstRunAndDescends()
    {
        var outcome = RunAlone(Bind());

        var exact = SyntheticHeightWeight.Data.Exact;
        var slope = Series(outcome, "slope");
        var loss = Series(outcome, "loss");
        Assert.Equal(25, loss.Length);
        // The article's first start, (exact slope, -180): the first loss is the mse there.
        var residual = -180 - exact.Intercept;
        Assert.Equal(exact.Mse + (residual * residual), loss[0], 0.5);
        Assert.True(loss[^1] < loss[0] / 4, $"the loss should fall from {loss[0]}, ended at {loss[^1]}");
        Assert.NotEqual((float)exact.Slope, slope[^1]);
    }

    [Theory]
    [InlineData("exact", 0.0, 0.0)]
    [InlineData("zero", 1.0, 1.0)]
    public void RunFused_Start_NamesTheStartingPoint(string start, double slopeFactor, double interceptFactor)
    {
        var outcome = RunAlone(Bind(("start", start), ("iterations", 1), ("learning_rate", 1e-12)));

        var exact = SyntheticHeightWeight.Data.Exact;
        Assert.Equal(exact.Slope * (1 - slopeFactor), Series(outcome, "slope")[0], 3);
        Assert.Equal(exact.Intercept * (1 - interceptFactor), Series(outcome, "intercept")[0], 2);
    }

    [Fact]
    public void RunFused_FusedGroup_FirstTrialCarriesTheDataOthersReferenceIt()
    {
        var inputs = new[] { 0.01, 0.02, 0.03 }.Select(rate => new TrialInput(Bind(("learning_rate", rate), ("iterations", 2)), 0)).ToList();

        var outcomes = experiment.RunFused(inputs, torch.CPU, CancellationToken.None);

        var artifacts = outcomes.Select(o => Assert.Single(o.Artifacts)).ToList();
        Assert.All(artifacts, a => Assert.Equal(("data.csv", "text/csv", artifacts[0].Sha256), (a.Name, a.MediaType, a.Sha256)));
        Assert.Equal([true, false, false], artifacts.Select(a => a.Content is not null));
        var csv = System.Text.Encoding.UTF8.GetString(artifacts[0].Content!).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("height,weight", csv[0]);
        Assert.Equal(SyntheticHeightWeight.Count + 1, csv.Length);
        Assert.Equal(FormattableString.Invariant($"{SyntheticHeightWeight.Data.Heights[0]:R},{SyntheticHeightWeight.Data.Weights[0]:R}"), csv[1]);
    }

    [Fact]
    public void RunFused_Default_DocumentHasTheDocumentedFields()
    {
        var outcome = RunAlone(Bind(("iterations", 3), ("start", "exact")));
        var detail = outcome.ToDocument();
        Assert.Equal(
            ["slope", "intercept", "loss", "mse", "exact", "data", "data_points", "optimizer", "learning_rate", "iterations", "history"],
            detail.Select(kv => kv.Key).ToArray());
        Assert.Equal("synthetic: 150 adult men (deterministic sample)", (string?)detail["data"]);
        Assert.Equal("gd", (string?)detail["optimizer"]);
        Assert.Equal(2e-5, (double?)detail["learning_rate"]);
        Assert.Equal(3, (int?)detail["iterations"]);
        Assert.Equal(SyntheticHeightWeight.Data.Exact.Slope, (double?)detail["exact"]!["slope"]);
        var history = detail["history"]!.AsArray();
        Assert.Equal([0, 1, 2], history.Select(h => (int)h!["step"]!).ToArray());
        Assert.Equal(Series(outcome, "loss")[2], (float)history[2]!["loss"]!);
        Assert.Equal(
            ["slope", "intercept", "loss", "mse", "exact_slope", "exact_intercept", "exact_mse", "mse_gap"],
            outcome.Metrics.Keys.ToArray());
        // Started at the exact solution, gd stays there: the gap is float32 rounding only.
        Assert.InRange(outcome.Metrics["mse_gap"], -1e-2, 1e-2);
    }

    [Fact]
    public void Validate_MissingFile_ThrowsForDataNamingTheFile()
    {
        var path = Path.Combine(TempCsvFile.Root, Guid.NewGuid().ToString("N"), "gone.csv");
        var error = Assert.Throws<ParameterException>(() => experiment.Validate(Bind(("data", path))));
        Assert.Equal("data", error.Parameter);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MalformedFile_ThrowsNamingFileAndLine()
    {
        using var file = new TempCsvFile("Height,Weight\n70,180\n71,\"\"\n");
        var error = Assert.Throws<ParameterException>(() => experiment.Validate(Bind(("data", file.Path))));
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FusionKey_DiffersOnlyForShapeChangingParameters()
    {
        var key = experiment.FusionKey(Bind(("learning_rate", 0.1)));
        Assert.Equal(key, experiment.FusionKey(Bind(("learning_rate", 0.2), ("init_slope", 3.0), ("intercept_grad_scale", 1000.0), ("beta1", 0.5))));
        Assert.NotEqual(key, experiment.FusionKey(Bind(("optimizer", "adam"))));
        Assert.NotEqual(key, experiment.FusionKey(Bind(("iterations", 26))));
        using var file = new TempCsvFile(TwoPoints);
        Assert.NotEqual(key, experiment.FusionKey(Bind(("data", file.Path))));
    }

    [Fact]
    public void RunFused_MixedFusionKeys_Throws()
    {
        var inputs = new[] { new TrialInput(Bind(("iterations", 2)), 1), new TrialInput(Bind(("iterations", 3)), 1) };
        Assert.Throws<ArgumentException>(() => experiment.RunFused(inputs, torch.CPU, CancellationToken.None));
    }

    [Fact]
    public void RunFused_CancelledToken_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(
            () => experiment.RunFused([new TrialInput(Bind(), 1)], torch.CPU, cancelled.Token));
    }

    private TrialOutcome RunAlone(ParameterSet parameters)
    {
        experiment.Validate(parameters);
        return Assert.Single(experiment.RunFused([new TrialInput(parameters, 1)], torch.CPU, CancellationToken.None));
    }

    private static ParameterSet Bind(params (string Name, object Value)[] values) =>
        LinearRegressionDefinition.Instance.Bind(values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value)));

    private static float[] Series(TrialOutcome outcome, string metric) =>
        outcome.History.Single(s => s.Metric == metric).Values;

    private static void AssertClose(double expected, double actual, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual}");
            return;
        }

        var tolerance = 1e-6 + (1e-5 * Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance || expected == actual, $"{what}: alone {expected:R}, fused {actual:R}");
    }
}
