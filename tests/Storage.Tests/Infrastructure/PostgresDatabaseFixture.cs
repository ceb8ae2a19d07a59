using Npgsql;

namespace GradDescent.Storage.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database per test class (created on first use, dropped at the end), and a fresh schema
/// per test inside it, so test classes run in parallel without seeing each other's rows.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? database;
    private string? databaseConnectionString;

    public async Task<string> GetDatabaseConnectionStringAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (databaseConnectionString is null)
            {
                var admin = TestPostgres.AdminConnectionString;
                var name = $"gd_test_{Guid.NewGuid():N}";
                await using (var connection = new NpgsqlConnection(admin))
                {
                    await connection.OpenAsync();
                    await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                    await create.ExecuteNonQueryAsync();
                }

                database = name;
                databaseConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
            }

            return databaseConnectionString;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A connection string whose search path is a new, empty schema.</summary>
    public async Task<string> CreateSchemaAsync()
    {
        var connectionString = await GetDatabaseConnectionStringAsync();
        var schema = $"s_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (database is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestPostgres.AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
