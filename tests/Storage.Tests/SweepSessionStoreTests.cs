using GradDescent.Abstractions.Storage;
using GradDescent.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace GradDescent.Storage.Tests;

/// <summary>What the command line keeps about a sweep besides its results: local-run heartbeats, the spec's path, deletion.</summary>
public sealed class SweepSessionStoreTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SetSweepHeartbeatAsync_RunningSweep_AliveUntilTheBeatIsStale(string provider)
    {
        var clock = new FakeTimeProvider(SampleResults.Start);
        var store = await stores.CreateAsync(provider, new ResultStoreOptions { TimeProvider = clock });
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await store.SetSweepStatusAsync("s", SweepStatus.Running);

        Assert.True(await store.SetSweepHeartbeatAsync("s", "host:42"));
        clock.Advance(SweepLiveness.StaleAfter);
        var fresh = await store.GetSweepLivenessAsync("s");
        clock.Advance(TimeSpan.FromSeconds(1));
        var stale = await store.GetSweepLivenessAsync("s");

        Assert.Equal(new SweepLiveness(SweepStatus.Running, "host:42", SampleResults.Start), fresh);
        Assert.Equal(("running", true), (fresh!.Describe(SampleResults.Start + SweepLiveness.StaleAfter), fresh.IsLocalRunAlive(SampleResults.Start + SweepLiveness.StaleAfter)));
        Assert.Equal(("interrupted", false), (stale!.Describe(clock.GetUtcNow()), stale.IsLocalRunAlive(clock.GetUtcNow())));
        Assert.Equal(stale, (await store.GetSweepAsync("s"))!.Liveness);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task ClearSweepHeartbeatAsync_ItsOwnSession_InterruptedAtOnce(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await store.SetSweepStatusAsync("s", SweepStatus.Running);
        await store.SetSweepHeartbeatAsync("s", "host:1");

        await store.ClearSweepHeartbeatAsync("s", "host:1");

        var liveness = await store.GetSweepLivenessAsync("s");
        Assert.Equal(new SweepLiveness(SweepStatus.Running, "host:1", null), liveness);
        Assert.True(liveness!.IsInterrupted(DateTimeOffset.UtcNow));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task ClearSweepHeartbeatAsync_AnotherSessionTookOver_LeavesItsHeartbeat(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await store.SetSweepHeartbeatAsync("s", "host:1");
        await store.SetSweepHeartbeatAsync("s", "host:2");

        await store.ClearSweepHeartbeatAsync("s", "host:1");

        var liveness = await store.GetSweepLivenessAsync("s");
        Assert.Equal("host:2", liveness!.LocalSession);
        Assert.NotNull(liveness.HeartbeatAt);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SweepLiveness_ClusterSweepWithoutSession_NeverInterrupted(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await store.SetSweepStatusAsync("s", SweepStatus.Running);

        var liveness = await store.GetSweepLivenessAsync("s");

        Assert.Equal(new SweepLiveness(SweepStatus.Running, null, null), liveness);
        Assert.Equal("running", liveness!.Describe(DateTimeOffset.MaxValue));
        Assert.Null(await store.GetSweepLivenessAsync("missing"));
        Assert.False(await store.SetSweepHeartbeatAsync("missing", "host:1"));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task CreateSweepAsync_WithSpecPath_RoundTrips(string provider)
    {
        var store = await stores.CreateAsync(provider);
        var sweep = SampleResults.Sweep("s") with { SpecPath = "/data/specs/seed.yaml" };

        await store.CreateSweepAsync(sweep);

        Assert.Equal(sweep, await store.GetSweepAsync("s"));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task DeleteSweepAsync_SweepWithTrials_RemovesItsRowsAndNoOther(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("gone"));
        await store.CreateSweepAsync(SampleResults.Sweep("kept"));
        await store.SaveResultsAsync([SampleResults.Result("gone", 0, mse: 1), SampleResults.Result("gone", 1, mse: 2), SampleResults.Result("kept", 0, mse: 3)]);

        Assert.True(await store.DeleteSweepAsync("gone"));

        Assert.Null(await store.GetSweepAsync("gone"));
        Assert.Empty(await store.GetStoredTrialIndexesAsync("gone"));
        Assert.Empty(await store.GetStepsAsync("gone", 0));
        Assert.Equal(["kept"], (await store.ListSweepsAsync()).Select(s => s.Id));
        Assert.Equal([0L], await store.GetStoredTrialIndexesAsync("kept"));
        Assert.Equal(3, (await store.GetStepsAsync("kept", 0)).Count);
        Assert.False(await store.DeleteSweepAsync("gone"));
    }
}
