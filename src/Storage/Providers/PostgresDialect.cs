using System.Data.Common;
using GradDescent.Storage.Entities;
using GradDescent.Storage.Schema;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GradDescent.Storage.Providers;

/// <summary>PostgreSQL: one pooled <see cref="NpgsqlDataSource"/>, advisory-locked migrations, binary COPY writes.</summary>
internal sealed class PostgresDialect : IStorageDialect
{
    /// <summary>Key of the transaction-scoped advisory lock that serializes schema upgrades ("GDSCHEMA").</summary>
    public const long SchemaLockKey = 0x4744_5343_4845_4D41;

    private readonly NpgsqlDataSource dataSource;

    public PostgresDialect(string connectionString)
    {
        dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        ContextOptions = new DbContextOptionsBuilder<ResultsDbContext>().UseNpgsql(dataSource).Options;
    }

    public StorageProvider Provider => StorageProvider.PostgreSql;

    public IReadOnlyList<SchemaMigration> Migrations => PostgresMigrations.All;

    public string CreateSchemaVersionTableSql => """
        CREATE TABLE IF NOT EXISTS schema_version (
            version      integer PRIMARY KEY,
            description  text NOT NULL,
            applied_at   timestamptz NOT NULL
        );
        """;

    public DbContextOptions<ResultsDbContext> ContextOptions { get; }

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public async Task<DbTransaction> BeginSchemaTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({SchemaLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return transaction;
    }

    public Task<StoredTrialCounts> WriteTrialsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TrialRow> rows, CancellationToken cancellationToken) =>
        PostgresTrialWriter.WriteAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, rows, cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
