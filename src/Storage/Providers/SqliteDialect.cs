using System.Data.Common;
using GradDescent.Storage.Entities;
using GradDescent.Storage.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GradDescent.Storage.Providers;

/// <summary>SQLite: WAL journal, immediate transactions, prepared INSERT OR IGNORE writes.</summary>
internal sealed class SqliteDialect : IStorageDialect
{
    private readonly string connectionString;

    public SqliteDialect(string connectionString)
    {
        this.connectionString = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
        }.ConnectionString;
        ContextOptions = new DbContextOptionsBuilder<ResultsDbContext>().UseSqlite(this.connectionString).Options;
    }

    public StorageProvider Provider => StorageProvider.Sqlite;

    public IReadOnlyList<SchemaMigration> Migrations => SqliteMigrations.All;

    public string CreateSchemaVersionTableSql => """
        CREATE TABLE IF NOT EXISTS schema_version (
            version      INTEGER NOT NULL PRIMARY KEY,
            description  TEXT NOT NULL,
            applied_at   TEXT NOT NULL
        );
        """;

    public DbContextOptions<ResultsDbContext> ContextOptions { get; }

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public async Task<DbTransaction> BeginSchemaTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // The journal mode persists in the file; it cannot change inside a transaction.
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Microsoft.Data.Sqlite begins IMMEDIATE transactions: the write lock is taken now, so a second
        // process waits here and then sees the steps the first one applied.
        return await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<StoredTrialCounts> WriteTrialsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TrialRow> rows, CancellationToken cancellationToken) =>
        SqliteTrialWriter.WriteAsync((SqliteConnection)connection, (SqliteTransaction)transaction, rows, cancellationToken);

    public ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
