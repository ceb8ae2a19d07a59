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
    public void Simulate_AshaOnAFreshBatch_KeepsTheBestThirdAtEachRung()
    {
        // 27 rows with constant losses 0..26: rung 0 (iteration 1) keeps 9, rung 1 (3) keeps 3, rung 2 (9) keeps 1.
        var plan = EarlyStopping.BuildPlan(Asha, maximize: false, [], maxIterations: 30);
        var rows = Enumerable.Range(0, 27).Select(i => Constant(i, 30)).ToList();

        var stopped = EarlyStopping.Simulate(plan, rows);

        Assert.Equal([1, 3, 9, 27], plan.Checkpoints.Select(c => c.Iteration));
        Assert.Equal(Enumerable.Repeat<int?>(1, 18), stopped.Skip(9));
        Assert.Equal(Enumerable.Repeat<int?>(3, 6), stopped.Skip(3).Take(6));
        Assert.Equal([9, 9], stopped.Skip(1).Take(2));
        // The last one stands alone at rung 3 (27 < 30 iterations): ⌊1/3⌋ rounds up to 1, so it goes on.
        Assert.Null(stopped[0]);
    }

    [Fact]
    public void Simulate_AshaWithHistory_ComparesAgainstEarlierTrialsToo()
    {
        // Eight earlier trials recorded 1..8 at the rung; the batch brings 0.5 and 4.5. Of ten values the
        // best ⌊10/3⌋ = 3 go on: 0.5, 1, 2, so 4.5 stops although it is the better half of its batch.
        var history = Enumerable.Range(1, 8).Select(v => Observation(v, Constant(v, 20), 10)).ToList();
        var plan = EarlyStopping.BuildPlan(Asha with { MinIterations = 10, MetricStep = 10 }, maximize: false, history, maxIterations: 20);

        var stopped = EarlyStopping.Simulate(plan, [Constant(0.5, 20), Constant(4.5, 20)]);

        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8], plan.Checkpoints[0].History.ToArray());
        Assert.Equal([null, 10], stopped);
    }

    [Fact]
    public void Decide_AshaMaximizing_KeepsTheLargest()
    {
        var plan = new StoppingPlan(EarlyStoppingRule.Asha, "min_angle_deg", Maximize: true, 1, 2, [new StoppingCheckpoint(5, 0, [], null)]);
        var stop = new bool[4];

        var count = plan.Decide(plan.Checkpoints[0], [10, 40, 20, 30], [10, 40, 20, 30], [true, true, true, true], stop);

        Assert.Equal(2, count);
        Assert.Equal([true, false, true, false], stop);
    }

    [Fact]
    public void Decide_Asha_StopsNaNAndIgnoresRowsThatAreNotAlive()
    {
        var plan = new StoppingPlan(EarlyStoppingRule.Asha, "loss", false, 1, 2, [new StoppingCheckpoint(5, 0, [], null)]);
        var stop = new bool[4];

        plan.Decide(plan.Checkpoints[0], [1, double.NaN, 100, 2], [1, double.NaN, 100, 2], [true, true, false, true], stop);

        // Live values 1 and 2 compete (⌊2/2⌋ = 1 goes on); the dead row with 100 is left alone.
        Assert.Equal([false, true, false, true], stop);
    }

    [Fact]
    public void Decide_AshaTies_AllGoOn()
    {
        var plan = new StoppingPlan(EarlyStoppingRule.Asha, "loss", false, 1, 3, [new StoppingCheckpoint(5, 0, [], null)]);
        var stop = new bool[6];

        plan.Decide(plan.Checkpoints[0], [1, 1, 1, 5, 5, 5], [1, 1, 1, 5, 5, 5], [true, true, true, true, true, true], stop);

        Assert.Equal([false, false, false, true, true, true], stop);
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
        var plan = EarlyStopping.BuildPlan(Asha, maximize: false, [], maxIterations: 30);

        var stopped = EarlyStopping.Simulate(plan, [Constant(1, 2), Constant(2, 2), Constant(3, 2)]);

        // Rung 0 at iteration 1 keeps ⌊3/3⌋ = 1; the survivor finishes at 2, before rung 1 at 3.
        Assert.Equal([null, 1, 1], stopped);
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
