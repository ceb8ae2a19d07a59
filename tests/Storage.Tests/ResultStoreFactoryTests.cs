using GradDescent.Storage.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
            Assert.Equal(9, await store.EnsureSchemaAsync());
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
    public async Task AddGradDescentStorage_SqlitePathInConfiguration_ResolvesOneSqliteStoreWithoutCreatingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gd-di-{Guid.NewGuid():N}.db");
        await using (var services = Services(new() { ["GradDescent:Database:ConnectionString"] = $"Data Source={path}" }))
        {
            var store = services.GetRequiredService<IResultStore>();
            Assert.Same(store, services.GetRequiredService<IResultStore>());
            Assert.Equal(StorageProvider.Sqlite, store.Provider);
            Assert.False(File.Exists(path), "registering or resolving the store must not create the database");
        }

        File.Delete(path);
    }

    [Fact]
    public async Task AddGradDescentStorage_ConnectionStringNamingNoDatabase_FailsValidationNamingTheKey()
    {
        await using var services = Services(new() { ["GradDescent:Database:ConnectionString"] = "Database=gd" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DatabaseOptions>>().Value);

        Assert.Contains("GradDescent:Database:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Data Source=/tmp/gd/results.db", "/tmp/gd/results.db")]
    [InlineData("results.db", "results.db")]
    [InlineData("Data Source=:memory:", null)]
    [InlineData("Host=db;Database=gd", null)]
    public void SqliteFile_ConnectionString_NamesTheFileOrNothing(string connectionString, string? expected)
    {
        Assert.Equal(expected is null ? null : Path.GetFullPath(expected), ResultStoreFactory.SqliteFile(connectionString));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddGradDescentStorage()
            .BuildServiceProvider();
}
