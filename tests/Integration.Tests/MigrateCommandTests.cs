using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage.Orleans;
using GradDescent.Storage.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// <c>graddescent migrate</c>, the deployment's schema Job: result-store schema and Orleans membership tables on
/// PostgreSQL, the schema alone on SQLite, idempotent, and bad input named.
/// </summary>
public sealed class MigrateCommandTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Migrate_OnPostgresTwice_CreatesTheSchemaAndMembershipTablesAndChangesNothingTheSecondTime()
    {
        var connection = await postgres.CreateSchemaAsync();
        var environment = new Dictionary<string, string> { ["GradDescent__Database__ConnectionString"] = connection };

        var first = await CliProcess.RunAsync(["migrate", "--json"], environment);
        var tablesAfterFirst = await TablesAsync(connection);
        var second = await CliProcess.RunAsync(["migrate", "--json"], environment);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        var answer = JsonNode.Parse(first.Stdout)!;
        Assert.Equal("PostgreSql", (string?)answer["provider"]);
        Assert.Equal("installed", (string?)answer["orleans_membership"]);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Superset(new HashSet<string> { "sweeps", "trials", "trial_steps", "orleansquery", "orleansmembershiptable", "orleansmembershipversiontable" }, tablesAfterFirst);
        Assert.Equal(tablesAfterFirst, await TablesAsync(connection));
        Assert.Equal(OrleansClusteringSchema.QueryKeys.Order(), await QueryKeysAsync(connection));
    }

    [Fact]
    public async Task Migrate_OnSqlite_CreatesTheStoreAndSkipsTheMembershipTables()
    {
        using var folder = new TempFolder();
        var database = folder.File("results.db");

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["migrate", "--db", database], workingDirectory: folder.Path);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("result store (Sqlite): schema version", stdout, StringComparison.Ordinal);
        Assert.Contains("orleans membership tables: skipped", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(database));
    }

    [Fact]
    public async Task Migrate_ClusteringDatabaseNotPostgres_ExitsTwoNamingTheSettingAndCreatesNothing()
    {
        using var folder = new TempFolder();
        var environment = new Dictionary<string, string> { ["GradDescent__Cluster__ClusteringConnectionString"] = $"Data Source={folder.File("cluster.db")}" };

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["migrate", "--db", folder.File("results.db")], environment, folder.Path);

        Assert.Equal(2, exitCode);
        Assert.Contains("GradDescent__Cluster__ClusteringConnectionString", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public async Task Migrate_ConnectionStringNamingNoDatabase_ExitsTwoNamingTheSetting()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["migrate"], new Dictionary<string, string> { ["GradDescent__Database__ConnectionString"] = "Timeout=5" });

        Assert.Equal(2, exitCode);
        Assert.Contains("GradDescent__Database__ConnectionString", stderr, StringComparison.Ordinal);
    }

    private static async Task<HashSet<string>> TablesAsync(string connectionString) =>
        [.. await ReadAsync(connectionString, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")];

    private static async Task<List<string>> QueryKeysAsync(string connectionString) =>
        [.. (await ReadAsync(connectionString, "SELECT querykey FROM orleansquery")).Order()];

    private static async Task<List<string>> ReadAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
