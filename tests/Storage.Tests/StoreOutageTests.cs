using GradDescent.Abstractions.Storage;
using GradDescent.Storage.Tests.Infrastructure;
using Npgsql;

namespace GradDescent.Storage.Tests;

/// <summary>
/// A PostgreSQL outage (the server restarting: connections refused, open ones cut), simulated by a TCP proxy the
/// test takes down and brings back: writes wait it out within the retry budget, and say so when it runs out.
/// </summary>
public sealed class StoreOutageTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>
{
    private const int RetryingWriteEvent = 3001;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SaveResultsAsync_DatabaseDownForMoreRetriesThanTheOldBudget_WaitsAndStoresOnceItIsBack()
    {
        await using var proxy = StartProxy();
        var retries = new EventCounter(RetryingWriteEvent);
        var options = new ResultStoreOptions
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RetryMaxDelay = TimeSpan.FromMilliseconds(200),
            TransientRetryBudget = TimeSpan.FromMinutes(5),
        };
        await using var store = ResultStoreFactory.Create(await ThroughAsync(proxy), options, retries);
        await store.EnsureSchemaAsync();
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        var batch = Enumerable.Range(0, 20).Select(i => SampleResults.Result("s", i, mse: i)).ToList();

        await proxy.StopAsync();
        var save = store.SaveResultsAsync(batch);
        // The old budget gave up after 5 retries (about 3 s).
        await retries.WaitForAsync(10, Patience);
        Assert.False(save.IsCompleted, "the write finished while the database was down");
        proxy.Start();

        Assert.Equal(20, await save.WaitAsync(Patience));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), (await store.GetStoredTrialIndexesAsync("s")).Order());
    }

    [Fact]
    public async Task SaveResultsAsync_DatabaseDownForTheWholeBudget_ThrowsStoreUnavailableAndStoresNothing()
    {
        await using var proxy = StartProxy();
        var options = new ResultStoreOptions
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RetryMaxDelay = TimeSpan.FromMilliseconds(100),
            TransientRetryBudget = TimeSpan.FromSeconds(1),
        };
        await using var store = ResultStoreFactory.Create(await ThroughAsync(proxy), options);
        await store.EnsureSchemaAsync();
        await store.CreateSweepAsync(SampleResults.Sweep("s"));

        await proxy.StopAsync();
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.SaveResultsAsync([SampleResults.Result("s", 0, mse: 1)]).WaitAsync(Patience));

        Assert.InRange(error.RetriedFor, TimeSpan.FromSeconds(1), Patience);
        Assert.Contains("(budget 1 s)", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
        proxy.Start();
        Assert.Empty(await store.GetStoredTrialIndexesAsync("s"));
    }

    private static TcpProxy StartProxy()
    {
        var target = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString);
        var proxy = new TcpProxy(target.Host!, target.Port);
        proxy.Start();
        return proxy;
    }

    /// <summary>A connection string to a fresh schema whose connections go through the proxy.</summary>
    private async Task<string> ThroughAsync(TcpProxy proxy) =>
        new NpgsqlConnectionStringBuilder(await postgres.CreateSchemaAsync()) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
}
