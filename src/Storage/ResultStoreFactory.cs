using System.Data.Common;
using GradDescent.Storage.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradDescent.Storage;

/// <summary>Creates the result store for a connection string: SQLite for a <c>.db</c> file, otherwise PostgreSQL.</summary>
public static class ResultStoreFactory
{
    /// <summary>
    /// <c>Data Source=path.db</c> (or a bare path ending in <c>.db</c>) opens SQLite; <c>Host=...;Database=...</c>
    /// opens PostgreSQL. Call <see cref="IResultStore.EnsureSchemaAsync"/> before first use. Nothing is
    /// opened or created until the first call.
    /// </summary>
    /// <param name="telemetry">Where stored trials and write times are counted; null: not measured.</param>
    /// <exception cref="ArgumentException">The connection string names neither database.</exception>
    public static IResultStore Create(
        string connectionString, ResultStoreOptions? options = null, ILoggerFactory? loggerFactory = null, StorageTelemetry? telemetry = null)
    {
        options ??= new ResultStoreOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetryAttempts, "options.MaxRetryAttempts");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RetryBaseDelay, TimeSpan.Zero, "options.RetryBaseDelay");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RetryMaxDelay, options.RetryBaseDelay, "options.RetryMaxDelay");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TransientRetryBudget, TimeSpan.Zero, "options.TransientRetryBudget");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxArtifactBytes, "options.MaxArtifactBytes");
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("GradDescent.Storage");

        IStorageDialect dialect = DetectProvider(connectionString) switch
        {
            StorageProvider.Sqlite => new SqliteDialect(NormalizeSqlite(connectionString)),
            _ => new PostgresDialect(connectionString),
        };
        return new ResultStore(dialect, options, logger, telemetry);
    }

    /// <exception cref="ArgumentException">The connection string names neither database.</exception>
    public static StorageProvider DetectProvider(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("the database connection string is empty", nameof(connectionString));
        }

        if (IsBareSqlitePath(connectionString))
        {
            return StorageProvider.Sqlite;
        }

        DbConnectionStringBuilder parsed;
        try
        {
            parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the database connection string is malformed: {e.Message}", nameof(connectionString), e);
        }

        if (parsed.ContainsKey("Data Source") || parsed.ContainsKey("DataSource") || parsed.ContainsKey("Filename"))
        {
            return StorageProvider.Sqlite;
        }

        if (parsed.ContainsKey("Host") || parsed.ContainsKey("Server"))
        {
            return StorageProvider.PostgreSql;
        }

        throw new ArgumentException(
            "the database connection string names no database: use 'Data Source=path.db' (SQLite) or 'Host=...;Database=...' (PostgreSQL)",
            nameof(connectionString));
    }

    /// <summary>The file a SQLite connection string names; null for PostgreSQL and in-memory SQLite.</summary>
    /// <exception cref="ArgumentException">The connection string names neither database.</exception>
    public static string? SqliteFile(string connectionString)
    {
        if (DetectProvider(connectionString) != StorageProvider.Sqlite)
        {
            return null;
        }

        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(NormalizeSqlite(connectionString)).DataSource;
        return string.IsNullOrEmpty(source) || source == ":memory:" || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? null
            : Path.GetFullPath(source);
    }

    private static bool IsBareSqlitePath(string connectionString) =>
        !connectionString.Contains('=', StringComparison.Ordinal)
        && connectionString.Trim().EndsWith(".db", StringComparison.OrdinalIgnoreCase);

    private static string NormalizeSqlite(string connectionString) =>
        IsBareSqlitePath(connectionString) ? $"Data Source={connectionString.Trim()}" : connectionString;
}
