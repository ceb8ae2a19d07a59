using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Grains.Sweeps;
using GradDescent.Sweeps;
using Xunit;

namespace GradDescent.Grains.Tests;

public sealed class SweepRunTests
{
    private const string Spec = """
        name: run-test
        experiment: linear-regression
        grid:
          learning_rate: [0.1, 0.2, 0.3]
        repeats: 2
        max_attempts: 2
        """;

    private static readonly WorkerInfo Worker = new("worker-a", "cpu", 1, "host");
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Open_FreshRun_LeasesTrialsInIndexOrderUntilNoneLeft()
    {
        var run = NewRun();

        var first = run.Open(Worker, 4, Now.AddMinutes(1))!;
        var second = run.Open(Worker, 4, Now.AddMinutes(1))!;
        var third = run.Open(Worker, 4, Now.AddMinutes(1));

        Assert.Equal([0L, 1, 2, 3], first.Trials.Select(t => t.Index));
        Assert.Equal([4L, 5], second.Trials.Select(t => t.Index));
        Assert.Null(third);
        Assert.Equal(6, run.InFlight);
        Assert.Equal("0.2", first.Trials[2].Parameters.GetText("learning_rate"));
        Assert.Equal([0, 1, 0, 1], first.Trials.Select(t => t.Seed));
    }

    [Fact]
    public void Open_StoredBeforeResume_SkipsStoredTrials()
    {
        var stored = new TrialBitSet(6);
        stored.Add(0);
        stored.Add(3);
        var run = NewRun(stored, completed: 2);

        var lease = run.Open(Worker, 10, Now.AddMinutes(1))!;

        Assert.Equal([1L, 2, 4, 5], lease.Trials.Select(t => t.Index));
        Assert.Equal(2, run.Completed);
    }

    [Fact]
    public void Close_ExpiredLease_ReturnsNullAndHandsTrialsOutAgain()
    {
        var run = NewRun();
        var lease = run.Open(Worker, 2, Now.AddSeconds(10))!;

        var closed = run.Close(lease.Id, Now.AddSeconds(11), out var expired);
        var again = run.Open(Worker, 2, Now.AddSeconds(30))!;

        Assert.Null(closed);
        Assert.True(expired);
        Assert.Equal([0L, 1], again.Trials.Select(t => t.Index));
    }

    [Fact]
    public void ReclaimExpired_LeasePastDeadline_RequeuesAndRefusesLateCompletion()
    {
        var run = NewRun();
        var lease = run.Open(Worker, 3, Now.AddSeconds(10))!;

        var expired = run.ReclaimExpired(Now.AddSeconds(11));
        var late = run.Close(lease.Id, Now.AddSeconds(12), out var expiredAgain);
        var retry = run.Open(Worker, 3, Now.AddSeconds(40))!;

        Assert.Equal(1, expired);
        Assert.Null(late);
        Assert.False(expiredAgain);
        Assert.Equal([0L, 1, 2], retry.Trials.Select(t => t.Index));
    }

    [Fact]
    public void Extend_LiveLease_MovesDeadline()
    {
        var run = NewRun();
        var lease = run.Open(Worker, 1, Now.AddSeconds(10))!;

        Assert.True(run.Extend(lease.Id, Now.AddSeconds(9), Now.AddSeconds(20)));
        Assert.Null(run.Close(lease.Id, Now.AddSeconds(21), out _));
        Assert.False(run.Extend(lease.Id, Now.AddSeconds(22), Now.AddSeconds(40)));
    }

    [Fact]
    public void Resolve_FailureBelowMaxAttempts_RetriesWithNextAttempt()
    {
        var run = NewRun();
        var lease = run.Open(Worker, 2, Now.AddMinutes(1))!;
        var completion = new LeaseCompletion(lease.Id, "worker-a", [TrialResults.For(lease.Trials[0], 1.5)], [new TrialFailure(1, 1, "boom")]);

        var (toStore, toRetry) = run.Resolve(run.Close(lease.Id, Now, out _)!, completion, Now);

        Assert.Equal([0L], toStore.Select(r => r.Index));
        var retry = Assert.Single(toRetry);
        Assert.Equal((1L, 2), (retry.Index, retry.Attempt));
    }

    [Fact]
    public void Resolve_FailureOnLastAttempt_StoresFailedResultWithError()
    {
        var run = NewRun();
        var lease = run.Open(Worker, 1, Now.AddMinutes(1))!;
        run.Resolve(run.Close(lease.Id, Now, out _)!, new LeaseCompletion(lease.Id, "worker-a", [], [new TrialFailure(0, 1, "first")]), Now);
        run.Requeue([lease.Trials[0] with { Attempt = 2 }]);
        var second = run.Open(Worker, 1, Now.AddMinutes(1))!;

        var (toStore, toRetry) = run.Resolve(run.Close(second.Id, Now, out _)!, new LeaseCompletion(second.Id, "worker-a", [], [new TrialFailure(0, 2, "second")]), Now);

        var failed = Assert.Single(toStore);
        Assert.Equal((TrialStatus.Failed, 2, "second"), (failed.Status, failed.Attempts, failed.Error));
        Assert.Empty(toRetry);
    }

    [Fact]
    public void Resolve_ResultsForOtherTrialsAndMissingTrials_IgnoresStrangersAndRetriesMissing()
    {
        var run = NewRun();
        var lease = run.Open(Worker, 2, Now.AddMinutes(1))!;
        var stranger = TrialResults.For(lease.Trials[0] with { Index = 5 }, 1);
        var completion = new LeaseCompletion(lease.Id, "worker-a", [TrialResults.For(lease.Trials[0], 1), stranger], []);

        var (toStore, toRetry) = run.Resolve(run.Close(lease.Id, Now, out _)!, completion, Now);

        Assert.Equal([0L], toStore.Select(r => r.Index));
        Assert.Equal([1L], toRetry.Select(t => t.Index));
    }

    [Fact]
    public void MarkStored_EveryTrial_IsDoneWithLowestMseAsBest()
    {
        var run = NewRun();
        var lease = run.Open(Worker, 6, Now.AddMinutes(1))!;
        var results = lease.Trials.Select(t => TrialResults.For(t, 10 - t.Index)).ToList();

        run.MarkStored(results);
        run.MarkStored(results);

        Assert.True(run.IsDone);
        Assert.Equal((6L, 6L, 5.0), (run.Completed, run.StoredThisRun, run.Best!.Value));
    }

    [Fact]
    public void FairBatch_SecondWorkerAppears_EachLeaseTakesHalfAFairShare()
    {
        var run = NewRun();

        var alone = run.FairBatch("worker-a", Now, Now.AddMinutes(-1), minimum: 1, maximum: 100);
        var shared = run.FairBatch("worker-b", Now, Now.AddMinutes(-1), minimum: 1, maximum: 100);
        var afterFirstLeft = run.FairBatch("worker-b", Now.AddMinutes(5), Now.AddMinutes(4), minimum: 1, maximum: 100);
        var floored = run.FairBatch("worker-b", Now.AddMinutes(5), Now.AddMinutes(4), minimum: 5, maximum: 100);

        Assert.Equal((3, 2, 3, 5), (alone, shared, afterFirstLeft, floored));
    }

    private static SweepRun NewRun(TrialBitSet? stored = null, long completed = 0)
    {
        var plan = SweepPlan.Create(SweepSpecParser.Parse(Spec, "run-test.yaml"));
        var progress = new SweepProgress
        {
            SweepId = "s1",
            TotalTrials = plan.TotalTrials,
            Completed = completed,
            Diverged = 0,
            Failed = 0,
            PrimaryMetric = "mse",
            Goal = MetricGoal.Minimize,
        };
        return new SweepRun("s1", LinearRegressionDefinition.Instance, new PlanTrialSource(plan), plan.Spec.MaxAttempts, stored ?? new TrialBitSet(plan.TotalTrials), progress);
    }
}
