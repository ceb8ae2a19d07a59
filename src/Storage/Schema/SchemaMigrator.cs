using System.Data.Common;
using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Storage.Providers;
using Microsoft.Extensions.Logging;

namespace GradDescent.Storage.Schema;

/// <summary>
/// Applies pending <see cref="SchemaMigration"/> steps in one transaction under the dialect's schema lock and
/// records each in <c>schema_version</c>. Existing data is kept: steps only add to the schema. From step
/// <see cref="OptimumViewsSql.Version"/> on, the same transaction brings <c>experiment_goals</c> in line with the experiment
/// catalog (<see cref="ExperimentGoalsSync"/>).
/// </summary>
internal static class SchemaMigrator
{
    public static int LatestVersion(IStorageDialect dialect) => dialect.Migrations[^1].Version;

    /// <returns>The schema version after the call.</returns>
    /// <exception cref="InvalidOperationException">The database is newer than this build, or a step failed.</exception>
    public static Task<int> ApplyAsync(IStorageDialect dialect, int targetVersion, TimeProvider time, ILogger logger, CancellationToken cancellationToken) =>
        ApplyAsync(dialect, targetVersion, ExperimentCatalog.All, time, logger, cancellationToken);

    /// <param name="catalog">The experiments whose goals the views know (tests pass a catalog with an extra experiment).</param>
    /// <returns>The schema version after the call.</returns>
    /// <exception cref="InvalidOperationException">The database is newer than this build, or a step failed.</exception>
    public static async Task<int> ApplyAsync(
        IStorageDialect dialect, int targetVersion, IReadOnlyList<ExperimentDefinition> catalog, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        if (targetVersion < 1 || targetVersion > LatestVersion(dialect))
        {
            throw new ArgumentOutOfRangeException(nameof(targetVersion), targetVersion, $"must be between 1 and {LatestVersion(dialect)}");
        }

        await using var connection = await dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await dialect.BeginSchemaTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, dialect.CreateSchemaVersionTableSql, cancellationToken).ConfigureAwait(false);

        var current = await CurrentVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (current > LatestVersion(dialect))
        {
            throw new InvalidOperationException(
                $"the {dialect.Provider} database has schema version {current}, newer than this build supports ({LatestVersion(dialect)}); upgrade GradDescent");
        }

        foreach (var step in dialect.Migrations.Where(m => m.Version > current && m.Version <= targetVersion))
        {
            try
            {
                await ExecuteAsync(connection, transaction, step.Sql, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e)
            {
                throw new InvalidOperationException($"schema step {step.Version} ({step.Description}) failed on {dialect.Provider}: {e.Message}", e);
            }

            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, @applied_at)";
            AddParameter(record, "@version", step.Version);
            AddParameter(record, "@description", step.Description);
            AddParameter(record, "@applied_at", time.GetUtcNow());
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            StorageLog.SchemaStepApplied(logger, dialect.Provider, step.Version, step.Description);
            current = step.Version;
        }

        if (current >= OptimumViewsSql.Version
            && await ExperimentGoalsSync.ApplyAsync(connection, transaction, catalog, cancellationToken).ConfigureAwait(false))
        {
            StorageLog.ExperimentGoalsSynced(logger, dialect.Provider, catalog.Count);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current;
    }

    private static async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
