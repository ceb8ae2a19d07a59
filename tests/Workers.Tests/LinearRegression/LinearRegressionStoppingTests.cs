using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Trials;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.LinearRegression;
using GradDescent.Workers.Optimization;
using GradDescent.Workers.Tests.Search;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.LinearRegression;

/// <summary>Early stopping inside the fused linear-regression program (docs/search.md).</summary>
public sealed class LinearRegressionStoppingTests
{
    private const int Iterations = 60;

    private static readonly double[] Rates = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0];

    private readonly LinearRegressionExperiment experiment = new(TempCsvFile.Gate);

    public static TheoryData<string> Plans() => ["asha", "median"];

    [Theory]
    [MemberData(nameof(Plans))]
    public void RunFused_WithAPlan_StopsEachRowWhereItsOwnSeriesSaysAndRunsTheRestUnchanged(string rule)
    {
        var trials = Trials("adam");
        var full = experiment.RunFused([.. trials.Select(p => new TrialInput(p, 0))], torch.CPU, CancellationToken.None);
        var losses = full.Select(o => Series(o, "loss")).ToList();
        var plan = Plan(rule, losses);

        var stopped = experiment.RunFused([.. trials.Select(p => new TrialInput(p, 0, plan))], torch.CPU, CancellationToken.None);

        var expected = losses.Select(l => StoppingPlans.ExpectedStop(plan, l)).ToList();
        Assert.True(expected.Count(e => e is not null) >= 2, $"the plan should stop some rows: {string.Join(", ", expected)}");
        Assert.True(expected.Count(e => e is null) >= 2, $"the plan should let some rows finish: {string.Join(", ", expected)}");
        for (var b = 0; b < trials.Count; b++)
        {
            var outcome = stopped[b];
            if (expected[b] is not { } at)
            {
                Assert.Equal((TrialStatus.Completed, (int?)null), (outcome.Status, outcome.PrunedAt));
                AssertSeriesClose(full[b], outcome, Iterations, $"trial {b}");
                AssertClose(full[b].Metrics["mse"], outcome.Metrics["mse"], $"trial {b} mse");
                continue;
            }

            // A stopped trial keeps its first `at` values, and reports the metrics of that step: its mse is the loss
            // at its parameters after `at` updates, which the full run reports as its next loss value.
            Assert.Equal((TrialStatus.Pruned, (int?)at), (outcome.Status, outcome.PrunedAt));
            AssertSeriesClose(full[b], outcome, at, $"trial {b}");
            Assert.Equal(Series(outcome, "loss")[^1], outcome.Metrics["loss"]);
            Assert.Equal(Series(outcome, "slope")[^1], outcome.Metrics["slope"]);
            AssertClose(losses[b][at], outcome.Metrics["mse"], $"trial {b} mse where it stopped");
            Assert.Equal(at, outcome.Detail["iterations"]!.GetValue<int>());
        }
    }

    [Fact]
    public void Run_AshaStopsRows_LaterStepsTakeOnlyTheLiveRows()
    {
        var trials = Trials("momentum");
        var full = experiment.RunFused([.. trials.Select(p => new TrialInput(p, 0))], torch.CPU, CancellationToken.None);
        var losses = full.Select(o => Series(o, "loss")).ToList();
        var plan = StoppingPlans.Asha(maximize: false, metricStep: 5, reductionFactor: 3, losses, 5, 15, 45);
        var live = new List<int>(trials.Count);
        var remaining = trials.Count;
        foreach (var checkpoint in plan.Checkpoints)
        {
            remaining -= losses.Count(l => StoppingPlans.ExpectedStop(plan, l) == checkpoint.Iteration);
            live.Add(remaining);
        }

        var data = SyntheticHeightWeight.Data;
        using var scope = torch.NewDisposeScope();
        using var problem = new LinearRegressionProblem(data, torch.CPU);
        using var optimizer = new RowCountingOptimizer(BatchedOptimizerFactory.Create("momentum", trials, torch.CPU));
        var start = torch.tensor(trials.SelectMany(_ => new[] { (float)data.Exact.Slope, -180f }).ToArray(), [trials.Count, 2]);
        var scale = torch.ones(trials.Count, 2);

        var run = LinearRegressionBatch.Run(problem, optimizer, start, scale, Iterations, plan, CancellationToken.None);

        // Steps 1-5 take all eight rows, 6-15 those left after rung 0, 16-45 after rung 1, 46-60 after rung 2.
        int[] expected = [.. Enumerable.Repeat(trials.Count, 5), .. Enumerable.Repeat(live[0], 10), .. Enumerable.Repeat(live[1], 30), .. Enumerable.Repeat(live[2], 15)];
        Assert.True(live[2] < trials.Count, "some rows should stop");
        Assert.Equal(expected.TakeWhile(rows => rows > 0), optimizer.RowsPerStep);
        Assert.Equal(losses.Select(l => StoppingPlans.ExpectedStop(plan, l)), run.StoppedAt);
    }

    [Fact]
    public void RunFused_PlanOnADivergingRow_LeavesItDivergedNotPruned()
    {
        // Points (1, 0) and (-1, 0): loss = slope² + intercept²; gd at lr 1e6 multiplies both by -2e6 per step and
        // overflows within a few; the plan's history (losses of 0) would stop it otherwise, as it stops the slow row.
        using var file = new TempCsvFile("Height,Weight\n1,0\n-1,0\n");
        var trials = new[] { 1e6, 1e-5 }
            .Select(rate => Bind(("data", file.Path), ("optimizer", "gd"), ("learning_rate", rate), ("iterations", 30), ("init_slope", 1.0), ("init_intercept", 1.0)))
            .ToArray();
        var plan = new StoppingPlan(EarlyStoppingRule.Asha, "loss", false, 10, 3, [new StoppingCheckpoint(10, 0, [0.0, 0.0, 0.0], null)]);

        var outcomes = experiment.RunFused([.. trials.Select(p => new TrialInput(p, 0, plan))], torch.CPU, CancellationToken.None);

        Assert.Equal(TrialStatus.Diverged, outcomes[0].Status);
        Assert.Null(outcomes[0].PrunedAt);
        Assert.Equal((TrialStatus.Pruned, (int?)10), (outcomes[1].Status, outcomes[1].PrunedAt));
    }

    [Fact]
    public void RunFused_TrialsWithDifferentPlans_Throws()
    {
        var plan = StoppingPlans.Asha(false, 5, 3, [], 5);
        var inputs = new[] { new TrialInput(Bind(("iterations", 20)), 0, plan), new TrialInput(Bind(("iterations", 20)), 0) };

        var error = Assert.Throws<ArgumentException>(() => experiment.RunFused(inputs, torch.CPU, CancellationToken.None));

        Assert.Contains("another early-stopping plan", error.Message, StringComparison.Ordinal);
    }

    private static StoppingPlan Plan(string rule, IReadOnlyList<float[]> losses) => rule == "asha"
        ? StoppingPlans.Asha(maximize: false, metricStep: 5, reductionFactor: 3, losses, 5, 15, 45)
        : StoppingPlans.Median(metricStep: 5, from: 10, until: Iterations, losses);

    private static List<ParameterSet> Trials(string optimizer) =>
        [.. Rates.Select(rate => Bind(("optimizer", optimizer), ("learning_rate", optimizer == "adam" ? rate : rate * 1e-5), ("iterations", Iterations), ("init_intercept", -180.0)))];

    private static ParameterSet Bind(params (string Name, object Value)[] values) =>
        LinearRegressionDefinition.Instance.Bind(values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value)));

    private static float[] Series(TrialOutcome outcome, string metric) => outcome.History.Single(s => s.Metric == metric).Values;

    private static void AssertSeriesClose(TrialOutcome full, TrialOutcome outcome, int length, string what)
    {
        foreach (var series in full.History)
        {
            var values = Series(outcome, series.Metric);
            Assert.Equal(length, values.Length);
            for (var i = 0; i < length; i++)
            {
                AssertClose(series.Values[i], values[i], $"{what} {series.Metric}[{i}]");
            }
        }
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        var tolerance = 1e-6 + (1e-5 * Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>Records how many trials each step updates: what the fused program still computes.</summary>
    private sealed class RowCountingOptimizer(IBatchedOptimizer inner) : IBatchedOptimizer
    {
        public List<int> RowsPerStep { get; } = [];

        public string Name => inner.Name;

        public void Step(IReadOnlyList<torch.Tensor> parameters, IReadOnlyList<torch.Tensor> gradients)
        {
            RowsPerStep.Add((int)parameters[0].shape[0]);
            inner.Step(parameters, gradients);
        }

        public void ScaleLearningRate(double factor) => inner.ScaleLearningRate(factor);

        public void Keep(torch.Tensor rows) => inner.Keep(rows);

        public void Dispose() => inner.Dispose();
    }
}
