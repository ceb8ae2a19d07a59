using System.Data.Common;
using GradDescent.Abstractions.Storage;
using GradDescent.Storage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GradDescent.Storage.Tests;

public sealed class SchemaUpgradeTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    /// <summary>The newest schema step; every upgrade ends there.</summary>
    private const int Latest = 9;

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
        await InsertSweepAsync(provider, connectionString, "s");
        await old.SaveResultsAsync([SampleResults.Result("s", 0, mse: 4), SampleResults.Result("s", 1, mse: 2)]);
        Assert.Equal(0L, await ScalarAsync(provider, connectionString,
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'trial_step_values'",
            "SELECT COUNT(*) FROM pg_views WHERE viewname = 'trial_step_values' AND schemaname = current_schema()"));

        var upgraded = stores.Open(connectionString);
        var version = await upgraded.EnsureSchemaAsync();

        Assert.Equal(Latest, version);
        Assert.Equal(new long[] { 0, 1 }, (await upgraded.GetStoredTrialIndexesAsync("s")).Order());
        Assert.Equal(2.0, (await upgraded.GetProgressAsync("s")).BestPrimaryMetric);
        Assert.Equal(2L * 3 * 5, await ScalarAsync(provider, connectionString, "SELECT COUNT(*) FROM trial_step_values", null));
        Assert.Equal((long)Latest, await ScalarAsync(provider, connectionString, "SELECT COUNT(*) FROM schema_version", null));
        Assert.Equal(1L, await ScalarAsync(provider, connectionString, "SELECT COUNT(*) FROM schema_version WHERE version = 2", null));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task EnsureSchemaAsync_FromVersion4_KeepsSweepsWithoutSessionColumns(string provider)
    {
        var connectionString = await stores.NewConnectionStringAsync(provider);
        var old = (ResultStore)stores.Open(connectionString);
        Assert.Equal(4, await old.EnsureSchemaAsync(4, CancellationToken.None));
        await InsertSweepAsync(provider, connectionString, "s");

        var upgraded = stores.Open(connectionString);
        Assert.Equal(Latest, await upgraded.EnsureSchemaAsync());

        var sweep = await upgraded.GetSweepAsync("s");
        Assert.Equal((SweepStatus.Running, (string?)null, (string?)null, (DateTimeOffset?)null), (sweep!.Status, sweep.SpecPath, sweep.LocalSession, sweep.HeartbeatAt));
        Assert.False(sweep.Liveness.IsInterrupted(DateTimeOffset.UtcNow));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task EnsureSchemaAsync_TwoStoresAtOnce_AppliesEachStepOnce(string provider)
    {
        var connectionString = await stores.NewConnectionStringAsync(provider);
        var first = stores.Open(connectionString);
        var second = stores.Open(connectionString);

        var versions = await Task.WhenAll(first.EnsureSchemaAsync(), second.EnsureSchemaAsync(), first.EnsureSchemaAsync());

        Assert.Equal([Latest, Latest, Latest], versions);
        Assert.Equal((long)Latest, await ScalarAsync(provider, connectionString, "SELECT COUNT(*) FROM schema_version", null));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task EnsureSchemaAsync_FromVersion4_AcceptsPrunedTrialsAndStillRefusesOtherStatuses(string provider)
    {
        var connectionString = await stores.NewConnectionStringAsync(provider);
        var old = (ResultStore)stores.Open(connectionString);
        Assert.Equal(4, await old.EnsureSchemaAsync(4, CancellationToken.None));
        await InsertSweepAsync(provider, connectionString, "s");
        await old.SaveResultsAsync([SampleResults.Result("s", 0, mse: 4)]);

        var upgraded = stores.Open(connectionString);
        Assert.Equal(Latest, await upgraded.EnsureSchemaAsync());
        await upgraded.SaveResultsAsync([SampleResults.Result("s", 1, mse: 2, status: GradDescent.Abstractions.Trials.TrialStatus.Pruned)]);
        var refused = await Record.ExceptionAsync(() => ScalarAsync(provider, connectionString,
            "UPDATE trials SET status = 'stopped' WHERE trial_index = 0", null));

        Assert.Equal(1, (await upgraded.GetProgressAsync("s")).Pruned);
        Assert.Equal(2, (await upgraded.GetStoredTrialIndexesAsync("s")).Count);
        Assert.IsAssignableFrom<DbException>(refused);
        Assert.Equal(0L, await ScalarAsync(provider, connectionString, "SELECT COUNT(*) FROM pareto_front", null));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task EnsureSchemaAsync_FromVersion4_KeepsSweepsAndAllowsPausedStatus(string provider)
    {
        var connectionString = await stores.NewConnectionStringAsync(provider);
        var old = (ResultStore)stores.Open(connectionString);
        Assert.Equal(4, await old.EnsureSchemaAsync(4, CancellationToken.None));
        await InsertSweepAsync(provider, connectionString, "s");
        await old.SaveResultsAsync([SampleResults.Result("s", 0, mse: 4)]);
        await old.SetSweepStatusAsync("s", Abstractions.Storage.SweepStatus.Running);

        // The same connection string shares the connection pool: connections that read the old schema are reused.
        var upgraded = stores.Open(connectionString);
        Assert.Equal(Latest, await upgraded.EnsureSchemaAsync());
        await upgraded.SetSweepStatusAsync("s", Abstractions.Storage.SweepStatus.Paused);
        await old.SetSweepStatusAsync("s", Abstractions.Storage.SweepStatus.Paused);

        var sweep = await upgraded.GetSweepAsync("s");
        Assert.Equal((Abstractions.Storage.SweepStatus.Paused, (DateTimeOffset?)null), (sweep!.Status, sweep.FinishedAt));
        Assert.NotNull(sweep.StartedAt);
        Assert.Equal([0L], await upgraded.GetStoredTrialIndexesAsync("s"));
        await Assert.ThrowsAnyAsync<DbException>(() => ScalarAsync(provider, connectionString, "UPDATE sweeps SET status = 'sleeping' WHERE id = 's'", null));
    }

    private static async Task<long> ScalarAsync(string provider, string connectionString, string sql, string? postgresSql)
    {
        await using var connection = Open(provider, connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = provider == StoreProvider.Postgres && postgresSql is not null ? postgresSql : sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A running sweep written as an older build would (the store's own insert names today's columns).</summary>
    private static async Task InsertSweepAsync(string provider, string connectionString, string id)
    {
        await using var connection = Open(provider, connectionString);
        await connection.OpenAsync();
        await using var insert = connection.CreateCommand();
        var now = provider == StoreProvider.Postgres ? "now()" : "'2026-11-27 10:00:00+00:00'";
        insert.CommandText = "INSERT INTO sweeps (id, name, experiment, spec, spec_format, status, total_trials, created_at) "
            + $"VALUES ('{id}', 'sweep {id}', 'linear-regression', 'x', 'yaml', 'running', 100, {now})";
        await insert.ExecuteNonQueryAsync();
    }

    private static DbConnection Open(string provider, string connectionString) =>
        provider == StoreProvider.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
}
