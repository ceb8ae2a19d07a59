using System.Text;
using GradDescent.Abstractions.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GradDescent.Storage.Resilience;

/// <summary>
/// Classifies database errors: worth retrying (the database is restarting, busy, or dropped the session), a broken
/// reference, or a value the database refuses (a row that will never store however often it is retried).
/// </summary>
public static class DatabaseErrors
{
    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteForeignKeyConstraint = 787;

    /// <summary>
    /// The next attempt may succeed unchanged: connection refused or lost, the server shutting down, starting up or in
    /// recovery (57P01, 57P02, 57P03), serialization failures and deadlocks (40001, 40P01), SQLite busy or locked;
    /// also such an error wrapped by EF Core (<see cref="DbUpdateException"/>, <see cref="InvalidOperationException"/>).
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState is "57P01" or "57P02" or "57P03" or "40001" or "40P01",
        NpgsqlException npgsql => npgsql.IsTransient,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),

        // EF Core without a retrying execution strategy wraps a transient provider error in this ("An exception has
        // been raised that is likely due to a transient failure"); a sweep once failed on it under heavy load.
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner),
        StoreUnavailableException => true,
        _ => false,
    };

    /// <summary>A row referenced a missing parent (e.g. a result of a sweep that was never created).</summary>
    public static bool IsForeignKeyViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == SqliteForeignKeyConstraint,
        DbUpdateException { InnerException: { } inner } => IsForeignKeyViolation(inner),
        NpgsqlException { InnerException: { } inner } => IsForeignKeyViolation(inner),
        _ => false,
    };

    /// <summary>
    /// The database refused a value: PostgreSQL data exceptions (class 22, e.g. 22021 NUL byte, 22P05 bad Unicode
    /// escape in jsonb), integrity violations other than a missing parent (class 23), program limits (class 54) and
    /// errors raised by triggers (P0001); SQLite constraint, too-big and mismatch errors; text that cannot be encoded.
    /// Retrying the same rows fails the same way; a batch holding such a row is split to find it.
    /// </summary>
    public static bool IsDataError(Exception exception) => !IsForeignKeyViolation(exception) && exception switch
    {
        PostgresException pg => pg.SqlState.StartsWith("22", StringComparison.Ordinal) || pg.SqlState.StartsWith("23", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("54", StringComparison.Ordinal) || pg.SqlState == "P0001",
        NpgsqlException { InnerException: { } inner } => IsDataError(inner),
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteConstraint or SqliteTooBig or SqliteMismatch,
        EncoderFallbackException => true,
        _ => false,
    };

    /// <summary>A one-line description for a stored error: the database's code and message, never the row's values.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        PostgresException pg => $"PostgreSQL {pg.SqlState}: {pg.MessageText}",
        NpgsqlException { InnerException: PostgresException inner } => Describe(inner),
        SqliteException sqlite => $"SQLite error {sqlite.SqliteExtendedErrorCode}: {sqlite.Message}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
