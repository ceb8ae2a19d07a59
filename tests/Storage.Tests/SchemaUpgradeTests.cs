using System.Data.Common;
using GradDescent.Storage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GradDescent.Storage.Tests;

public sealed class SchemaUpgradeTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task EnsureSchemaAsync_FromVersion1_KeepsDataAndAddsView(string provider)
    {
        var connectionString = await stores.NewConnectionStringAsync(provider);
        var old = (ResultStore)stores.Open(connectionString);
        Assert.Equal(1, await old.EnsureSchemaAsync(1, CancellationToken.None));
        await old.CreateSweepAsync(SampleResults.Sweep("s"));
        await old.SaveResultsAsync([SampleResults.Result("s", 0, mse: 4), SampleResults.Result("s", 1, mse: 2)]);
        Assert.Equal(0L, await ScalarAsync(provider, connectionString,
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'trial_step_values'",
            "SELECT COUNT(*) FROM pg_views WHERE viewname = 'trial_step_values' AND schemaname = current_schema()"));

        var upgraded = stores.Open(connectionString);
        var version = await upgraded.EnsureSchemaAsync();

        Assert.Equal(6, version);
        Assert.Equal(new long[] { 0, 1 }, (await upgraded.GetStoredTrialIndexesAsync("s")).Order());
        Assert.Equal(2.0, (await upgraded.GetProgressAsync("s")).BestPrimaryMetric);
        Assert.Equal(2L * 3 * 5, await ScalarAsync(provider, connectionString, "SELECT COUNT(*) FROM trial_step_values", null));
        Assert.Equal(6L, await ScalarAsync(provider, connectionString, "SELECT COUNT(*) FROM schema_version", null));
        Assert.Equal(1L, await ScalarAsync(provider, connectionString, "SELECT COUNT(*) FROM schema_version WHERE version = 2", null));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task EnsureSchemaAsync_TwoStoresAtOnce_AppliesEachStepOnce(string provider)
    {
        var connectionString = await stores.NewConnectionStringAsync(provider);
        var first = stores.Open(connectionString);
        var second = stores.Open(connectionString);

        var versions = await Task.WhenAll(first.EnsureSchemaAsync(), second.EnsureSchemaAsync(), first.EnsureSchemaAsync());

        Assert.Equal([6, 6, 6], versions);
        Assert.Equal(6L, await ScalarAsync(provider, connectionString, "SELECT COUNT(*) FROM schema_version", null));
    }

    private static async Task<long> ScalarAsync(string provider, string connectionString, string sql, string? postgresSql)
    {
        await using DbConnection connection = provider == StoreProvider.Sqlite
            ? new SqliteConnection(connectionString)
            : new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = provider == StoreProvider.Postgres && postgresSql is not null ? postgresSql : sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
