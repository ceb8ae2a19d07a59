using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Silo.Progress;
using GradDescent.Storage;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>How <c>submit --wait</c> follows a sweep while its control silo does not answer: from the store, then from the grain again.</summary>
public sealed class ClusterSweepFollowerTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private IResultStore store = null!;

    public async Task InitializeAsync()
    {
        store = ResultStoreFactory.Create($"Data Source={folder.File("follow.db")}");
        await store.EnsureSchemaAsync();
        await store.CreateSweepAsync(new SweepRecord
        {
            Id = "follow-1", Name = "follow", Experiment = "linear-regression", Spec = "x", SpecFormat = "yaml",
            Status = SweepStatus.Running, TotalTrials = 4, CreatedAt = DateTimeOffset.UtcNow,
        });
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task PollAsync_SiloDoesNotAnswer_ReadsTheStoreAndSaysSoOnce()
    {
        var grain = new ScriptedSweepGrain(_ => throw new TimeoutException("no silo"));
        var messages = new StringWriter();
        var follower = new ClusterSweepFollower(grain, store, "follow-1", TimeProvider.System, messages);

        var first = await follower.PollAsync(CancellationToken.None);
        await store.SetSweepStatusAsync("follow-1", SweepStatus.Completed);
        var second = await follower.PollAsync(CancellationToken.None);

        Assert.Equal((SweepStatus.Running, 4L), (first.State, first.Total));
        Assert.True(second.IsFinished);
        Assert.Equal(
            "the control silo does not answer (TimeoutException); following sweep follow-1 in the result store\n",
            messages.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task PollAsync_SiloAnswersAgain_UsesTheGrainAndSaysSo()
    {
        var answers = 0;
        var grain = new ScriptedSweepGrain(call => call == 1 ? throw new TimeoutException("restarting") : Snapshot(++answers));
        var messages = new StringWriter();
        var follower = new ClusterSweepFollower(grain, store, "follow-1", TimeProvider.System, messages);

        await follower.PollAsync(CancellationToken.None);
        var fromGrain = await follower.PollAsync(CancellationToken.None);

        Assert.Equal(1L, fromGrain.Completed);
        Assert.EndsWith("the control silo answers again\n", messages.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    private static SweepSnapshot Snapshot(long completed) => new()
    {
        SweepId = "follow-1", Name = "follow", Experiment = "linear-regression", State = SweepStatus.Running, Total = 4,
        Completed = completed, Diverged = 0, Failed = 0, InFlight = 0, StoredThisRun = completed, RunStartedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task SweepStarter_SiloDoesNotConfirmTheStart_AsksAgainAndSaysWhy()
    {
        var grain = new ScriptedSweepGrain(call => call < 3 ? throw new TimeoutException("busy") : Snapshot(0));
        var messages = new StringWriter();

        var started = await SweepStarter.StartAsync(grain, "follow-1", TimeProvider.System, messages, CancellationToken.None);

        Assert.Equal(SweepStatus.Running, started.State);
        Assert.Equal(
            string.Concat(Enumerable.Repeat("the control silo did not confirm the start of sweep follow-1 (TimeoutException); asking again\n", 2)),
            messages.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task SweepStarter_SiloNeverConfirms_FailsAfterItsRetries()
    {
        var grain = new ScriptedSweepGrain(_ => throw new TimeoutException("gone"));

        await Assert.ThrowsAsync<TimeoutException>(() =>
            SweepStarter.StartAsync(grain, "follow-1", TimeProvider.System, TextWriter.Null, CancellationToken.None, maxRetryAttempts: 1));
    }

    [Fact]
    public async Task SweepStarter_GrainRefusesTheSweep_FailsAtOnce()
    {
        var grain = new ScriptedSweepGrain(_ => throw new InvalidOperationException("no such sweep"));
        var messages = new StringWriter();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SweepStarter.StartAsync(grain, "follow-1", TimeProvider.System, messages, CancellationToken.None));
        Assert.Equal("", messages.ToString());
    }

    /// <summary>A sweep grain whose snapshot and start calls answer as scripted (by 1-based call number).</summary>
    private sealed class ScriptedSweepGrain(Func<int, SweepSnapshot> answer) : ISweepGrain
    {
        private int calls;

        public Task<SweepSnapshot> GetSnapshotAsync() => Task.FromResult(answer(Interlocked.Increment(ref calls)));

        public Task<SweepSnapshot> StartAsync() => Task.FromResult(answer(Interlocked.Increment(ref calls)));

        public Task<TrialLease?> LeaseAsync(WorkerInfo worker, int maxTrials) => throw new NotSupportedException();

        public Task<bool> HeartbeatAsync(Guid leaseId, Guid token) => throw new NotSupportedException();

        public Task<bool> CompleteAsync(LeaseCompletion completion) => throw new NotSupportedException();

        public Task<bool> ReleaseAsync(Guid leaseId, Guid token) => throw new NotSupportedException();

        public Task<SweepSnapshot> CancelAsync() => throw new NotSupportedException();

        public Task<SweepSnapshot> PauseAsync() => throw new NotSupportedException();

        public Task<SweepSnapshot> ResumeAsync() => throw new NotSupportedException();

        public Task<bool> ReportPlacementAsync(PlacementWait? wait) => throw new NotSupportedException();
    }
}
