using GradDescent.Abstractions.Storage;
using GradDescent.Storage.Tests.Infrastructure;

namespace GradDescent.Storage.Tests;

/// <summary>Why a running sweep waits for a worker (placement), kept in its error column while, and only while, it runs.</summary>
public sealed class SweepWaitingStoreTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SetSweepWaitingAsync_RunningSweep_StoresThenClearsTheNote(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("w"));
        await store.SetSweepStatusAsync("w", SweepStatus.Running);

        await store.SetSweepWaitingAsync("w", SweepRecord.WaitingPrefix + "no live worker matches placement pool=gpu");
        var waiting = (await store.GetSweepAsync("w"))!;
        await store.SetSweepWaitingAsync("w", null);
        var placed = (await store.GetSweepAsync("w"))!;

        Assert.Equal((SweepStatus.Running, "no live worker matches placement pool=gpu"), (waiting.Status, waiting.Waiting));
        Assert.Equal(((string?)null, (string?)null), (placed.Error, placed.Waiting));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SetSweepWaitingAsync_SweepNoLongerRunning_LeavesItsStatusAndErrorAlone(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("f"));
        await store.SetSweepStatusAsync("f", SweepStatus.Failed, "the search could not propose trials");
        await store.CreateSweepAsync(SampleResults.Sweep("c"));
        await store.SetSweepStatusAsync("c", SweepStatus.Completed);

        await store.SetSweepWaitingAsync("f", SweepRecord.WaitingPrefix + "late");
        await store.SetSweepWaitingAsync("c", SweepRecord.WaitingPrefix + "late");
        var failed = (await store.GetSweepAsync("f"))!;
        var completed = (await store.GetSweepAsync("c"))!;

        Assert.Equal((SweepStatus.Failed, "the search could not propose trials", (string?)null), (failed.Status, failed.Error, failed.Waiting));
        Assert.Equal((SweepStatus.Completed, (string?)null), (completed.Status, completed.Error));
    }
}
