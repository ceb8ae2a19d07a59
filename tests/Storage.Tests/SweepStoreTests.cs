using GradDescent.Abstractions.Storage;
using GradDescent.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace GradDescent.Storage.Tests;

public sealed class SweepStoreTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task CreateSweepAsync_NewSweep_GetReturnsEqualRecord(string provider)
    {
        var store = await stores.CreateAsync(provider);
        var sweep = SampleResults.Sweep("s1") with { Error = "none yet" };

        await store.CreateSweepAsync(sweep);

        Assert.Equal(sweep, await store.GetSweepAsync("s1"));
        Assert.Null(await store.GetSweepAsync("missing"));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task CreateSweepAsync_ExistingId_ThrowsSweepAlreadyExists(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("dup"));

        var error = await Assert.ThrowsAsync<SweepAlreadyExistsException>(() => store.CreateSweepAsync(SampleResults.Sweep("dup") with { Name = "other" }));

        Assert.Equal("dup", error.SweepId);
        Assert.Equal("sweep dup", (await store.GetSweepAsync("dup"))!.Name);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task ListSweepsAsync_ThreeSweeps_NewestFirst(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("b") with { CreatedAt = SampleResults.Start.AddMinutes(1) });
        await store.CreateSweepAsync(SampleResults.Sweep("a") with { CreatedAt = SampleResults.Start.AddMinutes(2) });
        await store.CreateSweepAsync(SampleResults.Sweep("c") with { CreatedAt = SampleResults.Start });

        var sweeps = await store.ListSweepsAsync();

        Assert.Equal(["a", "b", "c"], sweeps.Select(s => s.Id));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task CountSweepsByStatusAsync_SweepsInThreeStatuses_CountsEachAndZeroForTheRest(string provider)
    {
        var store = await stores.CreateAsync(provider);
        Assert.All((await store.CountSweepsByStatusAsync()).Values, count => Assert.Equal(0, count));
        foreach (var (id, status) in new[] { ("r1", SweepStatus.Running), ("p1", SweepStatus.Paused), ("p2", SweepStatus.Paused), ("c1", SweepStatus.Completed), ("r2", SweepStatus.Running), ("p3", SweepStatus.Paused) })
        {
            await store.CreateSweepAsync(SampleResults.Sweep(id));
            await store.SetSweepStatusAsync(id, status);
        }

        var counts = await store.CountSweepsByStatusAsync();

        Assert.Equal(Enum.GetValues<SweepStatus>().Order(), counts.Keys.Order());
        Assert.Equal((2L, 3L, 1L, 0L, 0L, 0L), (counts[SweepStatus.Running], counts[SweepStatus.Paused], counts[SweepStatus.Completed], counts[SweepStatus.Pending], counts[SweepStatus.Cancelled], counts[SweepStatus.Failed]));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SetSweepStatusAsync_RunningThenCompleted_SetsStartedOnceAndFinished(string provider)
    {
        var clock = new FakeTimeProvider(SampleResults.Start.AddHours(1));
        var store = await stores.CreateAsync(provider, new ResultStoreOptions { TimeProvider = clock });
        await store.CreateSweepAsync(SampleResults.Sweep("s"));

        await store.SetSweepStatusAsync("s", SweepStatus.Running);
        var started = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(5));
        await store.SetSweepStatusAsync("s", SweepStatus.Running);
        clock.Advance(TimeSpan.FromMinutes(5));
        await store.SetSweepStatusAsync("s", SweepStatus.Failed, "worker lost");

        var sweep = await store.GetSweepAsync("s");
        Assert.Equal(SweepStatus.Failed, sweep!.Status);
        Assert.Equal(started, sweep.StartedAt);
        Assert.Equal(started.AddMinutes(10), sweep.FinishedAt);
        Assert.Equal("worker lost", sweep.Error);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SetSweepStatusAsync_ResumedAfterFailure_ClearsFinishedAndErrorKeepsStarted(string provider)
    {
        var clock = new FakeTimeProvider(SampleResults.Start.AddHours(1));
        var store = await stores.CreateAsync(provider, new ResultStoreOptions { TimeProvider = clock });
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await store.SetSweepStatusAsync("s", SweepStatus.Running);
        clock.Advance(TimeSpan.FromMinutes(1));
        await store.SetSweepStatusAsync("s", SweepStatus.Failed, "worker lost");
        clock.Advance(TimeSpan.FromMinutes(1));

        await store.SetSweepStatusAsync("s", SweepStatus.Running);

        var sweep = await store.GetSweepAsync("s");
        Assert.Equal(
            (SweepStatus.Running, (DateTimeOffset?)SampleResults.Start.AddHours(1), (DateTimeOffset?)null, (string?)null),
            (sweep!.Status, sweep.StartedAt, sweep.FinishedAt, sweep.Error));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SetSweepStatusAsync_UnknownSweep_ThrowsKeyNotFound(string provider)
    {
        var store = await stores.CreateAsync(provider);

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.SetSweepStatusAsync("nope", SweepStatus.Running));

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }
}
