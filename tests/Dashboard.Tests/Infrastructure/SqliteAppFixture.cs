namespace GradDescent.Dashboard.Tests.Infrastructure;

/// <summary>One dashboard on a temporary SQLite file (local silo and worker in-process) for a test class.</summary>
public sealed class SqliteAppFixture : IAsyncLifetime
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"gd-dashboard-ui-{Guid.NewGuid():N}.db");

    public DashboardApp App { get; private set; } = null!;

    public string ConnectionString => $"Data Source={path}";

    public Task InitializeAsync()
    {
        App = new DashboardApp(ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}
