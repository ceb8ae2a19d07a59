using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using Xunit;

namespace GradDescent.Grains.Tests;

/// <summary>
/// A worker slot leases and computes its next batch while its last completion is being stored (WorkerHost's overlap):
/// every trial is still stored exactly once, also when the worker dies with a completion in flight.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SweepOverlapTests(ClusterFixture fixture)
{
    private static readonly WorkerInfo WorkerA = new("worker-a", "cpu", 1, "host-a");
    private static readonly WorkerInfo WorkerB = new("worker-b", "cpu", 1, "host-b");

    [Fact]
    public async Task CompleteAsync_NextLeaseTakenWhileWriteInFlight_EveryTrialStoredOnce()
    {
        var sweepId = await GrainSweeps.CreateAsync(fixture.Store, trials: 3);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();

        var first = (await sweep.LeaseAsync(WorkerA, 4))!;
        var storingFirst = sweep.CompleteAsync(GrainSweeps.Completion(first, WorkerA, mse: 1.0));
        var second = (await sweep.LeaseAsync(WorkerA, 4))!;
        var storingSecond = sweep.CompleteAsync(GrainSweeps.Completion(second, WorkerA, mse: 2.0));
        var accepted = await Task.WhenAll(storingFirst, storingSecond);

        Assert.Equal([true, true], accepted);
        Assert.Empty(first.Trials.Select(t => t.Index).Intersect(second.Trials.Select(t => t.Index)));
        var results = await GrainSweeps.ResultsAsync(fixture.Store, sweepId);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.Equal(SweepStatus.Completed, (await sweep.GetSnapshotAsync()).State);
    }

    [Fact]
    public async Task CompleteAsync_WorkerDiesWithCompletionInFlight_ItsNextLeaseRunsAgainAndEachTrialStoredOnce()
    {
        var sweepId = await GrainSweeps.CreateAsync(fixture.Store, trials: 3);
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();

        // Worker A sends its first batch's results and, while they are stored, leases and computes the next; then dies.
        var sent = (await sweep.LeaseAsync(WorkerA, 4))!;
        var storing = sweep.CompleteAsync(GrainSweeps.Completion(sent, WorkerA, mse: 1.0));
        var orphaned = (await sweep.LeaseAsync(WorkerA, 4))!;
        Assert.True(await storing);

        fixture.Time.Advance(ClusterFixture.LeaseDuration + TimeSpan.FromSeconds(1));
        var redo = (await sweep.LeaseAsync(WorkerB, 4))!;
        var redoAccepted = await sweep.CompleteAsync(GrainSweeps.Completion(redo, WorkerB, mse: 2.0));
        var zombieAccepted = await sweep.CompleteAsync(GrainSweeps.Completion(orphaned, WorkerA, mse: 9.0));

        Assert.Equal(orphaned.Trials.Select(t => t.Index), redo.Trials.Select(t => t.Index));
        Assert.All(redo.Trials, t => Assert.Equal(2, t.Attempt));
        Assert.True(redoAccepted);
        Assert.False(zombieAccepted);
        var results = await GrainSweeps.ResultsAsync(fixture.Store, sweepId);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.All(results.Where(r => orphaned.Trials.Any(t => t.Index == r.Index)), r => Assert.Equal(("worker-b", 2.0), (r.WorkerId, r.Metrics["mse"])));
        Assert.All(results.Where(r => sent.Trials.Any(t => t.Index == r.Index)), r => Assert.Equal(("worker-a", 1.0), (r.WorkerId, r.Metrics["mse"])));
    }
}
