using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using Xunit;

namespace GradDescent.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SweepGrainTests(ClusterFixture fixture)
{
    private static readonly WorkerInfo WorkerA = new("worker-a", "cpu", 1, "host-a");
    private static readonly WorkerInfo WorkerB = new("worker-b", "cpu", 1, "host-b");

    [Fact]
    public async Task LeaseAndComplete_EveryBatch_StoresEachTrialOnceAndCompletesSweep()
    {
        var sweepId = await CreateSweepAsync(trials: 3);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();

        var leased = new List<long>();
        while (await sweep.LeaseAsync(WorkerA, 4) is { } lease)
        {
            leased.AddRange(lease.Trials.Select(t => t.Index));
            Assert.True(await sweep.CompleteAsync(Completion(lease, WorkerA, mse: 2.0)));
        }

        var snapshot = await sweep.GetSnapshotAsync();
        var stored = await fixture.Store.GetStoredTrialIndexesAsync(sweepId);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), leased);
        Assert.Equal((SweepStatus.Completed, 6L), (snapshot.State, snapshot.Completed));
        Assert.Equal(6, stored.Count);
        Assert.Equal(SweepStatus.Completed, (await fixture.Store.GetSweepAsync(sweepId))!.Status);
    }

    [Fact]
    public async Task CompleteAsync_LeaseExpiredAndRedone_LateResultDiscardedAndTrialStoredOnce()
    {
        var sweepId = await CreateSweepAsync(trials: 1);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();

        var slow = (await sweep.LeaseAsync(WorkerA, 2))!;
        fixture.Time.Advance(ClusterFixture.LeaseDuration + TimeSpan.FromSeconds(1));
        var redo = (await sweep.LeaseAsync(WorkerB, 2))!;
        var redoAccepted = await sweep.CompleteAsync(Completion(redo, WorkerB, mse: 1.0));
        var lateAccepted = await sweep.CompleteAsync(Completion(slow, WorkerA, mse: 9.0));

        Assert.Equal(slow.Trials.Select(t => t.Index), redo.Trials.Select(t => t.Index));
        Assert.True(redoAccepted);
        Assert.False(lateAccepted);
        var results = await ResultsAsync(sweepId);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(("worker-b", 1.0), (r.WorkerId, r.Metrics["mse"])));
    }

    [Fact]
    public async Task HeartbeatAsync_BeforeDeadline_KeepsLeaseAlive()
    {
        var sweepId = await CreateSweepAsync(trials: 1);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();
        var lease = (await sweep.LeaseAsync(WorkerA, 2))!;

        fixture.Time.Advance(ClusterFixture.LeaseDuration * 0.75);
        var alive = await sweep.HeartbeatAsync(lease.LeaseId, lease.Token);
        fixture.Time.Advance(ClusterFixture.LeaseDuration * 0.75);
        var other = await sweep.LeaseAsync(WorkerB, 2);

        Assert.True(alive);
        Assert.Null(other);
        Assert.True(await sweep.CompleteAsync(Completion(lease, WorkerA, mse: 3.0)));
    }

    [Fact]
    public async Task StartAsync_TrialsAlreadyStored_LeasesOnlyTheRest()
    {
        var sweepId = await CreateSweepAsync(trials: 3);
        var first = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await first.StartAsync();
        var lease = (await first.LeaseAsync(WorkerA, 4))!;
        await fixture.Store.SaveResultsAsync([.. lease.Trials.Take(3).Select(t => TrialResults.For(t, 5.0))]);

        // A second sweep row with the same spec stands for the restarted control plane: it must read
        // the stored trials of its own id only, so copy the three results over under the new id.
        var resumedId = await CreateSweepAsync(trials: 3);
        await fixture.Store.SaveResultsAsync([.. lease.Trials.Take(3).Select(t => TrialResults.For(t with { SweepId = resumedId }, 5.0))]);
        var resumed = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(resumedId);
        var snapshot = await resumed.StartAsync();
        var rest = (await resumed.LeaseAsync(WorkerA, 10))!;

        Assert.Equal(3, snapshot.Completed);
        Assert.Equal([3L, 4, 5], rest.Trials.Select(t => t.Index));
    }

    [Fact]
    public async Task CompleteAsync_TrialThrowsOnEveryAttempt_StoredAsFailedAndSweepCompletes()
    {
        var sweepId = await CreateSweepAsync(trials: 1, maxAttempts: 2);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();

        var attempts = new List<int>();
        while (await sweep.LeaseAsync(WorkerA, 4) is { } lease)
        {
            attempts.AddRange(lease.Trials.Where(t => t.Index == 0).Select(t => t.Attempt));
            var good = lease.Trials.Where(t => t.Index != 0).Select(t => TrialResults.For(t, 1.0)).ToList();
            var bad = lease.Trials.Where(t => t.Index == 0).Select(t => new TrialFailure(t.Index, t.Attempt, $"boom {t.Attempt}")).ToList();
            Assert.True(await sweep.CompleteAsync(new LeaseCompletion(lease.LeaseId, WorkerA.WorkerId, [.. good], [.. bad], lease.Token)));
        }

        var snapshot = await sweep.GetSnapshotAsync();
        var failed = (await ResultsAsync(sweepId)).Single(r => r.Index == 0);
        Assert.Equal([1, 2], attempts);
        Assert.Equal((SweepStatus.Completed, 1L, 1L), (snapshot.State, snapshot.Completed, snapshot.Failed));
        Assert.Equal((TrialStatus.Failed, 2, "boom 2"), (failed.Status, failed.Attempts, failed.Error));
    }

    [Fact]
    public async Task CancelAsync_RunningSweep_StopsLeasingAndRefusesResults()
    {
        var sweepId = await CreateSweepAsync(trials: 3);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();
        var lease = (await sweep.LeaseAsync(WorkerA, 2))!;

        var snapshot = await sweep.CancelAsync();
        var next = await sweep.LeaseAsync(WorkerA, 2);
        var accepted = await sweep.CompleteAsync(Completion(lease, WorkerA, mse: 1.0));

        Assert.Equal(SweepStatus.Cancelled, snapshot.State);
        Assert.Null(next);
        Assert.False(accepted);
        Assert.Empty(await fixture.Store.GetStoredTrialIndexesAsync(sweepId));
        Assert.Equal(SweepStatus.Cancelled, (await fixture.Store.GetSweepAsync(sweepId))!.Status);
    }

    [Fact]
    public async Task DispatcherLeaseAsync_TwoRunningSweeps_HandsOutBothAndNothingAfter()
    {
        var first = await CreateSweepAsync(trials: 1);
        var second = await CreateSweepAsync(trials: 1);
        await fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(first).StartAsync();
        await fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(second).StartAsync();
        var dispatcher = fixture.Cluster.GrainFactory.GetGrain<IDispatcherGrain>(0);

        var seen = new HashSet<string>();
        while (await dispatcher.LeaseAsync(WorkerA, 4) is { } lease)
        {
            seen.Add(lease.SweepId);
            Assert.True(await fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(lease.SweepId).CompleteAsync(Completion(lease, WorkerA, mse: 1.0)));
        }

        Assert.Superset(new HashSet<string> { first, second }, seen);
        Assert.DoesNotContain(first, await dispatcher.GetRunningSweepsAsync());
        Assert.DoesNotContain(second, await dispatcher.GetRunningSweepsAsync());
        Assert.Contains(await dispatcher.GetWorkersAsync(), w => w.Worker.WorkerId == "worker-a" && w.TrialsLeased >= 4);
    }

    private Task<string> CreateSweepAsync(int trials, int maxAttempts = 3) => GrainSweeps.CreateAsync(fixture.Store, trials, maxAttempts);

    private Task<List<TrialResult>> ResultsAsync(string sweepId) => GrainSweeps.ResultsAsync(fixture.Store, sweepId);

    private static LeaseCompletion Completion(TrialLease lease, WorkerInfo worker, double mse) => GrainSweeps.Completion(lease, worker, mse);
}
