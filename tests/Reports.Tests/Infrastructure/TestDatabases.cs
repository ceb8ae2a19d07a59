using GradDescent.Storage;
using Npgsql;

namespace GradDescent.Reports.Tests.Infrastructure;

/// <summary>
/// Fresh stores for a test: a SQLite file in a temporary folder, or a new schema in the PostgreSQL server named by
/// <c>GRADDESCENT_TEST_POSTGRES</c> (set by tests/run-tests.sh). Everything is removed on dispose.
/// </summary>
public sealed class TestDatabases : IAsyncDisposable
{
    public const string PostgresVariable = "GRADDESCENT_TEST_POSTGRES";

    private readonly List<IResultStore> stores = [];
    private readonly List<string> schemas = [];

    public TestDatabases()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"gd-reports-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
    }

    /// <summary>A temporary folder for databases and report output.</summary>
    public string Folder { get; }

    public async Task<IResultStore> SqliteAsync()
    {
        var store = ResultStoreFactory.Create(Path.Combine(Folder, $"db-{stores.Count}.db"));
        stores.Add(store);
        await store.EnsureSchemaAsync();
        return store;
    }

    /// <exception cref="InvalidOperationException">The variable is not set: the PostgreSQL tests fail rather than skip.</exception>
    public async Task<IResultStore> PostgresAsync()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set: these tests need PostgreSQL. Run ./tests/run-tests.sh tests/Reports.Tests (it starts a throw-away server) or set {PostgresVariable}.");
        var schema = $"reports_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await create.ExecuteNonQueryAsync();
        }

        schemas.Add(schema);
        var store = ResultStoreFactory.Create(new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ConnectionString);
        stores.Add(store);
        await store.EnsureSchemaAsync();
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        if (schemas.Count > 0)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
            await connection.OpenAsync();
            foreach (var schema in schemas)
            {
                await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
