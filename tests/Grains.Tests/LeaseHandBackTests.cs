using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using Xunit;

namespace GradDescent.Grains.Tests;

/// <summary>A stopping worker hands an unfinished lease back with a completion that holds no result.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LeaseHandBackTests(ClusterFixture fixture)
{
    private static readonly WorkerInfo Stopping = new("worker-stopping", "cpu", 1, "host-s");
    private static readonly WorkerInfo Other = new("worker-other", "cpu", 1, "host-o");

    [Fact]
    public async Task CompleteAsync_EmptyCompletion_RequeuesTheLeasedTrialsAtOnceWithoutUsingAnAttempt()
    {
        var sweep = await StartSweepAsync(trials: 4);
        var leased = (await sweep.LeaseAsync(Stopping, 4))!;

        var accepted = await sweep.CompleteAsync(new LeaseCompletion(leased.LeaseId, Stopping.WorkerId, [], []));
        var snapshot = await sweep.GetSnapshotAsync();
        var taken = (await sweep.LeaseAsync(Other, 4))!;

        Assert.True(accepted);
        Assert.Equal((0L, 0L), (snapshot.InFlight, snapshot.Completed + snapshot.Failed));
        Assert.Equal(leased.Trials.Select(t => (t.Index, t.Attempt)).Order(), taken.Trials.Select(t => (t.Index, t.Attempt)).Order());
        Assert.False(await sweep.HeartbeatAsync(leased.LeaseId));
        await sweep.CancelAsync();
    }

    private async Task<ISweepGrain> StartSweepAsync(int trials)
    {
        var id = $"hand-back-{Guid.NewGuid():N}";
        var rates = string.Join(", ", Enumerable.Range(1, trials).Select(i => $"0.{i}"));
        await fixture.Store.CreateSweepAsync(new SweepRecord
        {
            Id = id,
            Name = "hand-back",
            Experiment = "linear-regression",
            Spec = $"name: hand-back\nexperiment: linear-regression\ngrid:\n  learning_rate: [{rates}]\n",
            SpecFormat = "yaml",
            Status = SweepStatus.Pending,
            TotalTrials = trials,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        var grain = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(id);
        await grain.StartAsync();
        return grain;
    }
}
