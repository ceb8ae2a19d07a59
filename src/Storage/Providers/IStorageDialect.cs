using System.Data.Common;
using GradDescent.Storage.Entities;
using GradDescent.Storage.Schema;
using Microsoft.EntityFrameworkCore;

namespace GradDescent.Storage.Providers;

/// <summary>What differs between the databases: connections, schema steps, the schema lock and bulk writes.</summary>
internal interface IStorageDialect : IAsyncDisposable
{
    StorageProvider Provider { get; }

    IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>Creates <c>schema_version</c> if it is missing.</summary>
    string CreateSchemaVersionTableSql { get; }

    DbContextOptions<ResultsDbContext> ContextOptions { get; }

    Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Begins the schema transaction holding the cross-process schema lock.</summary>
    Task<DbTransaction> BeginSchemaTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Writes the rows inside <paramref name="transaction"/>, skipping stored trials.</summary>
    /// <returns>How many trials were newly inserted, per experiment and status.</returns>
    Task<StoredTrialCounts> WriteTrialsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TrialRow> rows, CancellationToken cancellationToken);
}
