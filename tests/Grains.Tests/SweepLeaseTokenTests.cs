using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Xunit;

namespace GradDescent.Grains.Tests;

/// <summary>
/// Only the worker a lease was handed to can extend, complete or give it back: every call carries the lease's random
/// token. A completion sent twice is answered twice alike, and every start of a trial counts as an attempt.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SweepLeaseTokenTests(ClusterFixture fixture)
{
    private static readonly WorkerInfo Holder = new("holder", "cpu", 1, "host-a");
    private static readonly WorkerInfo Rogue = new("rogue", "cpu", 1, "host-r");

    private GrainsTelemetry Telemetry => ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost!.Services.GetRequiredService<GrainsTelemetry>();

    [Fact]
    public async Task CompleteAsync_ForgedToken_RefusedCountedAndHolderStillStores()
    {
        var sweep = await StartAsync(trials: 1);
        var lease = (await sweep.LeaseAsync(Holder, 2))!;
        var refusedBefore = Telemetry.LeaseCallsRefused;

        var forged = GrainSweeps.Completion(lease, Rogue, mse: 0.001) with { Token = Guid.NewGuid() };
        var noToken = GrainSweeps.Completion(lease, Rogue, mse: 0.001) with { Token = Guid.Empty };
        var forgedAccepted = await sweep.CompleteAsync(forged);
        var noTokenAccepted = await sweep.CompleteAsync(noToken);
        var forgedBeat = await sweep.HeartbeatAsync(lease.LeaseId, Guid.NewGuid());
        var forgedRelease = await sweep.ReleaseAsync(lease.LeaseId, Guid.NewGuid());
        var holderAccepted = await sweep.CompleteAsync(GrainSweeps.Completion(lease, Holder, mse: 2.0));

        Assert.Equal((false, false, false, false, true), (forgedAccepted, noTokenAccepted, forgedBeat, forgedRelease, holderAccepted));
        Assert.Equal(4, Telemetry.LeaseCallsRefused - refusedBefore);
        var results = await GrainSweeps.ResultsAsync(fixture.Store, lease.SweepId);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(("holder", 2.0), (r.WorkerId, r.Metrics["mse"])));
    }

    [Fact]
    public async Task CompleteAsync_SameCompletionSentTwice_SecondAnsweredTrueAndStoredOnce()
    {
        var sweep = await StartAsync(trials: 2);
        var lease = (await sweep.LeaseAsync(Holder, 2))!;
        var completion = GrainSweeps.Completion(lease, Holder, mse: 1.0);

        var first = await sweep.CompleteAsync(completion);
        var again = await sweep.CompleteAsync(completion);
        var forgedAgain = await sweep.CompleteAsync(completion with { Token = Guid.NewGuid() });

        Assert.Equal((true, true, false), (first, again, forgedAgain));
        Assert.Equal(lease.Trials.Select(t => t.Index), (await GrainSweeps.ResultsAsync(fixture.Store, lease.SweepId)).Select(r => r.Index).Order());
    }

    [Fact]
    public async Task LeaseAsync_AfterExpiry_RerunCountsAsSecondAttemptAndLateResultDiscarded()
    {
        var sweep = await StartAsync(trials: 1);
        var slow = (await sweep.LeaseAsync(Holder, 2))!;
        fixture.Time.Advance(ClusterFixture.LeaseDuration + TimeSpan.FromSeconds(1));
        var redo = (await sweep.LeaseAsync(Rogue, 2))!;

        var late = await sweep.CompleteAsync(GrainSweeps.Completion(slow, Holder, mse: 9.0));
        var lateBeat = await sweep.HeartbeatAsync(slow.LeaseId, slow.Token);
        var redone = await sweep.CompleteAsync(GrainSweeps.Completion(redo, Rogue, mse: 1.0));

        Assert.Equal((false, false, true), (late, lateBeat, redone));
        Assert.All(slow.Trials, t => Assert.Equal(1, t.Attempt));
        Assert.All(redo.Trials, t => Assert.Equal(2, t.Attempt));
        var results = await GrainSweeps.ResultsAsync(fixture.Store, slow.SweepId);
        Assert.Equal([(2, "rogue"), (2, "rogue")], results.Select(r => (r.Attempts, r.WorkerId)));
    }

    [Fact]
    public async Task ReleaseAsync_Holder_TrialsLeasedAgainAtOnce()
    {
        var sweep = await StartAsync(trials: 1);
        var lease = (await sweep.LeaseAsync(Holder, 2))!;
        Assert.Null(await sweep.LeaseAsync(Rogue, 2));

        var released = await sweep.ReleaseAsync(lease.LeaseId, lease.Token);
        var next = await sweep.LeaseAsync(Rogue, 2);
        var stale = await sweep.CompleteAsync(GrainSweeps.Completion(lease, Holder, mse: 1.0));

        Assert.True(released);
        Assert.NotNull(next);
        Assert.Equal(lease.Trials.Select(t => t.Index), next.Trials.Select(t => t.Index));
        Assert.False(stale);
        Assert.True(await sweep.CompleteAsync(GrainSweeps.Completion(next, Rogue, mse: 1.0)));
        Assert.Equal(SweepStatus.Completed, (await sweep.GetSnapshotAsync()).State);
    }

    private async Task<ISweepGrain> StartAsync(int trials)
    {
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(await GrainSweeps.CreateAsync(fixture.Store, trials));
        await sweep.StartAsync();
        return sweep;
    }
}
