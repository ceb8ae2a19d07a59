using System.Collections.Immutable;
using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Trials;
using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests.Search;

public sealed class EarlyStoppingTests
{
    private static readonly EarlyStoppingSpec Asha = new(EarlyStoppingRule.Asha, "loss", MetricStep: 1, MinIterations: 1, ReductionFactor: 3, StartupTrials: 0);

    private static readonly EarlyStoppingSpec Median = new(EarlyStoppingRule.Median, "loss", MetricStep: 5, MinIterations: 10, ReductionFactor: 0, StartupTrials: 3);

    [Fact]
    public void BuildPlan_Asha_PutsRungsAtMinIterationsTimesEtaToTheK()
    {
        var plan = EarlyStopping.BuildPlan(Asha with { MetricStep = 5, MinIterations = 4 }, maximize: false, [], maxIterations: 200);

        // Rungs at 4, 12, 36, 108 (324 is past the end), each at the next multiple of metric_step.
        Assert.Equal([5, 15, 40, 110], plan.Checkpoints.Select(c => c.Iteration));
        Assert.Equal([0, 1, 2, 3], plan.Checkpoints.Select(c => c.Rung));
    }

    [Fact]
    public void Simulate_AshaOnAFreshBatch_StopsNothing()
    {
        // No earlier trial recorded a value: each row is the best of the one value competing (its own).
        var plan = EarlyStopping.BuildPlan(Asha, maximize: false, [], maxIterations: 30);
        var rows = Enumerable.Range(0, 27).Select(i => Constant(i, 30)).ToList();

        var stopped = EarlyStopping.Simulate(plan, rows);

        Assert.Equal([1, 3, 9, 27], plan.Checkpoints.Select(c => c.Iteration));
        Assert.All(stopped, Assert.Null);
    }

    [Fact]
    public void Simulate_AshaWithHistory_KeepsTheRowsInTheBestThirdOfEachRung()
    {
        // 26 earlier trials recorded 1..26 at every rung. A row goes on while it is among the best
        // ⌊27/3⌋ = 9 of the 27 values competing (history plus itself): 0.5 always; 8.5 and 9.5 have 8
        // and 9 better values, so 8.5 goes on and 9.5 stops at the first rung.
        var history = Enumerable.Range(1, 26).Select(v => Observation(v, Constant(v, 30))).ToList();
        var plan = EarlyStopping.BuildPlan(Asha, maximize: false, history, maxIterations: 30);

        var stopped = EarlyStopping.Simulate(plan, [Constant(0.5, 30), Constant(8.5, 30), Constant(9.5, 30)]);

        Assert.Equal([null, null, 1], stopped);
    }

    [Fact]
    public void Simulate_AshaWithHistory_ComparesAgainstEarlierTrialsToo()
    {
        // Eight earlier trials recorded 1..8 at the rung. Each row competes with those eight values: of nine
        // the best ⌊9/3⌋ = 3 go on, so 0.5 goes on and 4.5 (four better values) stops.
        var history = Enumerable.Range(1, 8).Select(v => Observation(v, Constant(v, 20), 10)).ToList();
        var plan = EarlyStopping.BuildPlan(Asha with { MinIterations = 10, MetricStep = 10 }, maximize: false, history, maxIterations: 20);

        var stopped = EarlyStopping.Simulate(plan, [Constant(0.5, 20), Constant(4.5, 20)]);

        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8], plan.Checkpoints[0].History.ToArray());
        Assert.Equal([null, 10], stopped);
    }

    [Fact]
    public void Decide_AshaMaximizing_KeepsTheLargest()
    {
        // History 10..40, η = 2: each row competes with five values (history plus itself) and needs to be among the best two.
        var plan = new StoppingPlan(EarlyStoppingRule.Asha, "min_angle_deg", Maximize: true, 1, 2, [new StoppingCheckpoint(5, 0, [10, 20, 30, 40], null)]);
        var stop = new bool[4];

        var count = plan.Decide(plan.Checkpoints[0], [45, 35, 15, 40], [45, 35, 15, 40], [true, true, true, true], stop);

        Assert.Equal(1, count);
        Assert.Equal([false, false, true, false], stop);
    }

    [Fact]
    public void Decide_Asha_StopsNaNAndIgnoresRowsThatAreNotAlive()
    {
        var plan = new StoppingPlan(EarlyStoppingRule.Asha, "loss", false, 1, 2, [new StoppingCheckpoint(5, 0, [3], null)]);
        var stop = new bool[4];

        plan.Decide(plan.Checkpoints[0], [1, double.NaN, 100, 4], [1, double.NaN, 100, 4], [true, true, false, true], stop);

        // Each live row competes with the history value 3 (⌊2/2⌋ = 1 goes on); the dead row with 100 is left alone.
        Assert.Equal([false, true, false, true], stop);
    }

    [Fact]
    public void Decide_AshaTies_GoOn()
    {
        var plan = new StoppingPlan(EarlyStoppingRule.Asha, "loss", false, 1, 3, [new StoppingCheckpoint(5, 0, [1, 1, 1, 5, 5], null)]);
        var stop = new bool[3];

        // Six values compete per row, the best two go on: 1 ties the best (nothing strictly better), 5 has three better.
        plan.Decide(plan.Checkpoints[0], [1, 5, 0], [1, 5, 0], [true, true, true], stop);

        Assert.Equal([false, true, false], stop);
    }

    [Fact]
    public void Decide_Asha_EachRowIsDecidedAsIfItRanAlone()
    {
        var random = new Random(7);
        var history = Enumerable.Range(0, 40).Select(_ => Math.Round(random.NextDouble() * 10, 1)).Order().ToImmutableArray();
        var plan = new StoppingPlan(EarlyStoppingRule.Asha, "loss", false, 1, 3, [new StoppingCheckpoint(5, 0, history, null)]);
        var values = Enumerable.Range(0, 64).Select(_ => Math.Round(random.NextDouble() * 10, 1)).ToArray();
        var together = new bool[values.Length];

        plan.Decide(plan.Checkpoints[0], values, values, Enumerable.Repeat(true, values.Length).ToArray(), together);
        var alone = values.Select(v =>
        {
            var stop = new bool[1];
            plan.Decide(plan.Checkpoints[0], [v], [v], [true], stop);
            return stop[0];
        });

        Assert.Equal(alone, together);
        Assert.Contains(true, together);
        Assert.Contains(false, together);
    }

    [Fact]
    public void BuildPlan_Median_TakesTheMedianOfCompletedTrialsPerIteration()
    {
        // Three completed trials (the startup count) with losses falling from 10, 20 and 30; a pruned one does not count.
        var completed = new[] { 10.0, 20, 30 }.Select((start, i) => Observation(i, Falling(start, 40), 5)).ToList();
        var pruned = Observation(3, Falling(1, 15), 5) with { Kind = ObservationKind.Pruned, Values = [1], PrunedAt = 15 };

        var plan = EarlyStopping.BuildPlan(Median, maximize: false, [.. completed, pruned], maxIterations: 40);

        Assert.Equal([10, 15, 20, 25, 30, 35], plan.Checkpoints.Select(c => c.Iteration));
        Assert.Equal(Falling(20, 40)[9], plan.Checkpoints[0].Median);
        Assert.All(plan.Checkpoints, c => Assert.Equal(-1, c.Rung));
    }

    [Fact]
    public void BuildPlan_MedianBeforeStartupTrials_StopsNothing()
    {
        var two = new[] { 10.0, 20 }.Select((start, i) => Observation(i, Falling(start, 40), 5)).ToList();
        var plan = EarlyStopping.BuildPlan(Median, maximize: false, two, maxIterations: 40);

        var stopped = EarlyStopping.Simulate(plan, [Falling(100, 40)]);

        Assert.All(plan.Checkpoints, c => Assert.Null(c.Median));
        Assert.Equal([null], stopped);
    }

    [Fact]
    public void Simulate_Median_StopsATrialWhoseBestIsWorseThanTheMedian_NotBeforeWarmup()
    {
        var history = new[] { 10.0, 20, 30 }.Select((start, i) => Observation(i, Falling(start, 40), 5)).ToList();
        var plan = EarlyStopping.BuildPlan(Median, maximize: false, history, maxIterations: 40);
        var good = Falling(5, 40);
        var bad = Falling(25, 40);

        // Worse than the median from iteration 15 on, but its best (iteration 10) stays below the medians.
        var dipping = Falling(25, 40);
        dipping[9] = 0.1f * Falling(20, 40)[34];
        for (var i = 10; i < 40; i++)
        {
            dipping[i] = Falling(30, 40)[i];
        }

        // Terrible at iteration 5, before the warmup of 10 iterations, good from 10 on.
        var late = Falling(5, 40);
        late[4] = 1000;

        var stopped = EarlyStopping.Simulate(plan, [good, bad, dipping, late]);

        Assert.Equal([null, 10, null, null], stopped);
    }

    [Fact]
    public void Simulate_RowsThatFinishBeforeACheckpoint_AreNotDecidedThere()
    {
        // History 1..5 at every rung; a row of 9 stops at rung 0 (iteration 1) unless it has finished by then.
        var history = Enumerable.Range(1, 5).Select(v => Observation(v, Constant(v, 30))).ToList();
        var plan = EarlyStopping.BuildPlan(Asha, maximize: false, history, maxIterations: 30);

        var stopped = EarlyStopping.Simulate(plan, [Constant(9, 1), Constant(9, 2), Constant(0.5, 2)]);

        // The one-iteration row ends at the checkpoint's own iteration: a checkpoint at a row's last iteration decides nothing.
        Assert.Equal([null, 1, null], stopped);
    }

    [Fact]
    public void StoppingPlanFor_Generations_UsesOnlyTheTrialsTheProposalsSaw()
    {
        var spec = SearchHarness.Parse("""
            name: asha
            experiment: linear-regression
            parameters: {iterations: 30}
            search:
              algorithm: random
              trials: 6
              batch: 3
              space:
                learning_rate: {log_uniform: [1.0e-4, 1.0]}
            early_stopping: {algorithm: asha, min_iterations: 3, metric_step: 3}
            """);
        var driver = new SearchDriver(spec);
        var first = driver.StoppingPlanFor(0)!;
        foreach (var trial in driver.Trials(0))
        {
            var series = Falling(trial.Index + 1, 30);
            driver.Observe(SearchHarness.Result(trial, TrialStatus.Completed,
                ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("mse", (double)series[^1])]),
                new StepSeries("loss", series)));
        }

        var second = driver.StoppingPlanFor(1)!;

        Assert.Equal([3, 9, 27], first.Checkpoints.Select(c => c.Iteration));
        Assert.All(first.Checkpoints, c => Assert.Empty(c.History));
        Assert.Equal(3, second.Checkpoints[0].History.Length);
        Assert.Equal("loss", second.Metric);
        Assert.False(second.Maximize);
    }

    private static TrialObservation Observation(long index, float[] series, int metricStep = 1) =>
        new(index, new SearchPoint([0.5]), ObservationKind.Completed, [series[^1]], null, SearchObservations.Evaluations(series, metricStep));

    private static float[] Constant(double value, int length) => Enumerable.Repeat((float)value, length).ToArray();

    private static float[] Falling(double start, int length) => Enumerable.Range(0, length).Select(i => (float)(start / (1 + (0.1 * i)))).ToArray();
}
