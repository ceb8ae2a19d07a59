using GradDescent.Storage.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace GradDescent.Storage.Tests;

public sealed class ResultStoreFactoryTests
{
    [Theory]
    [InlineData("Data Source=/tmp/results.db", StorageProvider.Sqlite)]
    [InlineData("/var/lib/graddescent/results.db", StorageProvider.Sqlite)]
    [InlineData("results.db", StorageProvider.Sqlite)]
    [InlineData("Host=127.0.0.1;Port=5432;Database=gd;Username=gd", StorageProvider.PostgreSql)]
    [InlineData("Server=db;Database=gd", StorageProvider.PostgreSql)]
    public void DetectProvider_KnownForms_ChoosesProvider(string connectionString, StorageProvider expected)
    {
        Assert.Equal(expected, ResultStoreFactory.DetectProvider(connectionString));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Database=gd;Username=gd")]
    [InlineData("results.csv")]
    public void DetectProvider_NeitherDatabase_ThrowsNamingConnectionString(string connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => ResultStoreFactory.DetectProvider(connectionString));

        Assert.Equal("connectionString", error.ParamName);
    }

    [Fact]
    public async Task Create_BarePath_OpensSqliteStore()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gd-factory-{Guid.NewGuid():N}.db");
        try
        {
            await using var store = ResultStoreFactory.Create(path);
            Assert.Equal(StorageProvider.Sqlite, store.Provider);
            Assert.Equal(4, await store.EnsureSchemaAsync());
            Assert.True(File.Exists(path));
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + "-wal");
            File.Delete(path + "-shm");
        }
    }

    [Fact]
    public void Create_NegativeRetries_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultStoreFactory.Create("x.db", new ResultStoreOptions { MaxRetryAttempts = -1 }));
    }

    [Fact]
    public async Task AddResultStore_SqlitePath_ResolvesOneSqliteStore()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gd-di-{Guid.NewGuid():N}.db");
        await using (var services = new ServiceCollection().AddLogging().AddResultStore($"Data Source={path}").BuildServiceProvider())
        {
            var store = services.GetRequiredService<IResultStore>();
            Assert.Same(store, services.GetRequiredService<IResultStore>());
            Assert.Equal(StorageProvider.Sqlite, store.Provider);
        }

        File.Delete(path);
    }

    [Fact]
    public void AddResultStore_UnknownConnectionString_ThrowsAtRegistration()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddResultStore("Database=gd"));
    }
}
