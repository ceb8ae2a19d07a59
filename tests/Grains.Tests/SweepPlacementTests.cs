using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using Xunit;

namespace GradDescent.Grains.Tests;

/// <summary>
/// A sweep told by the dispatcher that no live worker may take it: it says why in its snapshot and in the store while it
/// has trials to hand out and none on a lease, reclaims the leases of workers that died, and loses no trial.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SweepPlacementTests(ClusterFixture fixture)
{
    private static readonly WorkerInfo WorkerA = new("placement-a", "cpu", 1, "host-a", Pool: "a");
    private static readonly WorkerInfo WorkerB = new("placement-b", "cpu", 1, "host-b", Pool: "b");
    private static readonly PlacementWait NoPoolB = new(PlacementWaitReason.NoMatchingWorker, "no live worker matches placement pool=b (none asked for work in the last 30 s)");

    [Fact]
    public async Task ReportPlacementAsync_NoMatchingWorker_WaitsInSnapshotAndStoreUntilOneIsLive()
    {
        var sweepId = await GrainSweeps.CreateAsync(fixture.Store, trials: 2);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();

        var waits = await sweep.ReportPlacementAsync(NoPoolB);
        var waitingSnapshot = await sweep.GetSnapshotAsync();
        var waitingRecord = await fixture.Store.GetSweepAsync(sweepId);
        var stillWaits = await sweep.ReportPlacementAsync(NoPoolB);
        var placed = await sweep.ReportPlacementAsync(null);
        var placedSnapshot = await sweep.GetSnapshotAsync();
        var placedRecord = await fixture.Store.GetSweepAsync(sweepId);

        Assert.True(waits);
        Assert.True(stillWaits);
        Assert.Equal((SweepStatus.Running, NoPoolB.Text, null), (waitingSnapshot.State, waitingSnapshot.Waiting, waitingSnapshot.Error));
        Assert.Equal((SweepStatus.Running, $"waiting: {NoPoolB.Text}", NoPoolB.Text), (waitingRecord!.Status, waitingRecord.Error, waitingRecord.Waiting));
        Assert.False(placed);
        Assert.Null(placedSnapshot.Waiting);
        Assert.Equal((SweepStatus.Running, (string?)null), (placedRecord!.Status, placedRecord.Error));
    }

    [Fact]
    public async Task ReportPlacementAsync_TrialsOnALiveLease_DoesNotWait()
    {
        var sweepId = await GrainSweeps.CreateAsync(fixture.Store, trials: 2);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();
        _ = (await sweep.LeaseAsync(WorkerB, 4))!;

        var waits = await sweep.ReportPlacementAsync(NoPoolB);

        Assert.False(waits);
        Assert.Null((await sweep.GetSnapshotAsync()).Waiting);
        Assert.Null((await fixture.Store.GetSweepAsync(sweepId))!.Error);
    }

    [Fact]
    public async Task ReportPlacementAsync_RightAfterACompletion_WaitsOnlyOnceNoWorkerWasHeardOfForALeasesTime()
    {
        var sweepId = await GrainSweeps.CreateAsync(fixture.Store, trials: 4);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();
        var lease = (await sweep.LeaseAsync(WorkerB, 4))!;
        Assert.True(await sweep.CompleteAsync(GrainSweeps.Completion(lease, WorkerB, mse: 1.0)));

        var justCompleted = await sweep.ReportPlacementAsync(NoPoolB);
        fixture.Time.Advance(ClusterFixture.LeaseDuration + TimeSpan.FromSeconds(1));
        var silent = await sweep.ReportPlacementAsync(NoPoolB);

        Assert.True(lease.Trials.Length < 8, "the first lease took every trial");
        Assert.False(justCompleted);
        Assert.True(silent);
    }

    [Fact]
    public async Task ReportPlacementAsync_PoolsLastWorkerDied_ReclaimsItsLeaseWaitsAndStoresEachTrialOnceLater()
    {
        var sweepId = await GrainSweeps.CreateAsync(fixture.Store, trials: 2);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();
        var lost = (await sweep.LeaseAsync(WorkerB, 4))!;

        fixture.Time.Advance(ClusterFixture.LeaseDuration + TimeSpan.FromSeconds(1));
        var waits = await sweep.ReportPlacementAsync(NoPoolB);
        var waiting = await sweep.GetSnapshotAsync();
        var joined = await sweep.ReportPlacementAsync(null);
        var leased = new List<long>();
        while (await sweep.LeaseAsync(WorkerA, 4) is { } lease)
        {
            leased.AddRange(lease.Trials.Select(t => t.Index));
            Assert.True(await sweep.CompleteAsync(GrainSweeps.Completion(lease, WorkerA, mse: 1.0)));
        }

        var lateAccepted = await sweep.CompleteAsync(GrainSweeps.Completion(lost, WorkerB, mse: 9.0));
        var results = await GrainSweeps.ResultsAsync(fixture.Store, sweepId);
        var record = await fixture.Store.GetSweepAsync(sweepId);

        Assert.True(waits);
        Assert.Equal((0L, NoPoolB.Text), (waiting.InFlight, waiting.Waiting));
        Assert.False(joined);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => (long)i), leased.Order());
        Assert.False(lateAccepted);
        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal("placement-a", r.WorkerId));
        Assert.Equal((SweepStatus.Completed, (string?)null), (record!.Status, record.Error));
    }

    [Fact]
    public async Task ReportPlacementAsync_SweepCompleted_NeitherWaitsNorWritesANote()
    {
        var sweepId = await GrainSweeps.CreateAsync(fixture.Store, trials: 1);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();
        var lease = (await sweep.LeaseAsync(WorkerB, 4))!;
        await sweep.ReportPlacementAsync(null);

        Assert.True(await sweep.CompleteAsync(GrainSweeps.Completion(lease, WorkerB, mse: 1.0)));
        var afterwards = await sweep.ReportPlacementAsync(NoPoolB);
        var record = await fixture.Store.GetSweepAsync(sweepId);

        Assert.False(afterwards);
        Assert.Equal((SweepStatus.Completed, (string?)null), (record!.Status, record.Error));
    }
}
