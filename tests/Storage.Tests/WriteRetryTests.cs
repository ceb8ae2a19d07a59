using System.Data.Common;
using GradDescent.Storage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GradDescent.Storage.Tests;

public sealed class WriteRetryTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    /// <summary>
    /// The first attempt writes the whole batch, then fails before its commit: PostgreSQL by really terminating
    /// the session (pg_terminate_backend), SQLite by a "database is busy" error. The retry stores it once.
    /// </summary>
    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_TransientFailureBeforeCommit_RetriesAndStoresOnce(string provider)
    {
        var attempts = new List<int>();
        var options = new ResultStoreOptions
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            BeforeResultsCommit = async (connection, attempt, ct) =>
            {
                attempts.Add(attempt);
                if (attempt == 1)
                {
                    await FailTransientlyAsync(provider, connection, ct);
                }
            },
        };
        var store = await stores.CreateAsync(provider, options);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        var batch = Enumerable.Range(0, 50).Select(i => SampleResults.Result("s", i, mse: i)).ToList();

        var stored = await store.SaveResultsAsync(batch);

        Assert.Equal([1, 2], attempts);
        Assert.Equal(50, stored);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), (await store.GetStoredTrialIndexesAsync("s")).Order());
        Assert.Equal(3, (await store.GetStepsAsync("s", 49)).Count);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_PermanentFailure_NotRetriedAndNothingStored(string provider)
    {
        var attempts = 0;
        var options = new ResultStoreOptions
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            BeforeResultsCommit = (_, _, _) =>
            {
                attempts++;
                throw new InvalidOperationException("injected permanent failure");
            },
        };
        var store = await stores.CreateAsync(provider, options);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveResultsAsync([SampleResults.Result("s", 0, mse: 1)]));

        Assert.Equal("injected permanent failure", error.Message);
        Assert.Equal(1, attempts);
        Assert.Empty(await store.GetStoredTrialIndexesAsync("s"));
    }

    private static async Task FailTransientlyAsync(string provider, DbConnection connection, CancellationToken cancellationToken)
    {
        if (provider == StoreProvider.Sqlite)
        {
            throw new SqliteException("injected: database is locked", 5);
        }

        var pid = ((NpgsqlConnection)connection).ProcessID;
        await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString);
        await admin.OpenAsync(cancellationToken);
        await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid, 10000)", admin);
        kill.Parameters.AddWithValue("pid", pid);
        Assert.Equal(true, await kill.ExecuteScalarAsync(cancellationToken));
    }
}
