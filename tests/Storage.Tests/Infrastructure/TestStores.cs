namespace GradDescent.Storage.Tests.Infrastructure;

/// <summary>
/// Creates isolated stores for one test: SQLite in a temporary file, PostgreSQL in a fresh schema. Deletes
/// the SQLite files and disposes every store it made.
/// </summary>
public sealed class TestStores(PostgresDatabaseFixture postgres) : IAsyncDisposable
{
    private readonly List<IResultStore> stores = [];
    private readonly List<string> files = [];

    /// <summary>A connection string to a new, empty database of the provider.</summary>
    public async Task<string> NewConnectionStringAsync(string provider)
    {
        switch (provider)
        {
            case StoreProvider.Sqlite:
                var path = Path.Combine(Path.GetTempPath(), $"gd-store-{Guid.NewGuid():N}.db");
                files.Add(path);
                return $"Data Source={path}";
            case StoreProvider.Postgres:
                return await postgres.CreateSchemaAsync();
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown test provider");
        }
    }

    public IResultStore Open(string connectionString, ResultStoreOptions? options = null)
    {
        var store = ResultStoreFactory.Create(connectionString, options ?? new ResultStoreOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        stores.Add(store);
        return store;
    }

    /// <summary>A new database of the provider with the latest schema.</summary>
    public async Task<IResultStore> CreateAsync(string provider, ResultStoreOptions? options = null)
    {
        var store = Open(await NewConnectionStringAsync(provider), options);
        await store.EnsureSchemaAsync();
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        foreach (var file in files)
        {
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
        }
    }
}
