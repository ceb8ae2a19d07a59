using GradDescent.Storage.Tests.Infrastructure;

namespace GradDescent.Dashboard.Tests.Infrastructure;

/// <summary>
/// One dashboard per database for a test class: SQLite (temporary file; local silo and worker in-process) and
/// PostgreSQL (fresh database; a client of a real control silo started here).
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    private readonly PostgresDatabaseFixture postgres = new();
    private readonly string sqlitePath = Path.Combine(Path.GetTempPath(), $"gd-dashboard-{Guid.NewGuid():N}.db");
    private ClusterSilo? silo;
    private DashboardApp? sqliteApp;
    private DashboardApp? postgresApp;

    public static TheoryData<string> Providers => new() { Sqlite, Postgres };

    public DashboardApp App(string provider) => provider == Sqlite ? sqliteApp! : postgresApp!;

    public async Task InitializeAsync()
    {
        sqliteApp = new DashboardApp($"Data Source={sqlitePath}");
        var connectionString = await postgres.GetDatabaseConnectionStringAsync();
        silo = await ClusterSilo.StartAsync(connectionString);
        postgresApp = new DashboardApp(connectionString, silo.ClientSettings);
    }

    public async Task DisposeAsync()
    {
        if (postgresApp is not null)
        {
            await postgresApp.DisposeAsync();
        }

        if (silo is not null)
        {
            await silo.DisposeAsync();
        }

        if (sqliteApp is not null)
        {
            await sqliteApp.DisposeAsync();
        }

        await postgres.DisposeAsync();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(sqlitePath + suffix);
        }
    }
}
