using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GradDescent.Storage.Resilience;

/// <summary>Classifies database errors: worth retrying, or a broken reference.</summary>
internal static class DatabaseErrors
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteForeignKeyConstraint = 787;

    /// <summary>The next attempt may succeed unchanged.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        // 57P01/57P02: the server ended the session (admin command, crash recovery); 40001/40P01: serialization, deadlock.
        PostgresException pg => pg.IsTransient || pg.SqlState is "57P01" or "57P02" or "57P03" or "40001" or "40P01",
        NpgsqlException npgsql => npgsql.IsTransient,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    /// <summary>A row referenced a missing parent (e.g. a result of a sweep that was never created).</summary>
    public static bool IsForeignKeyViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == SqliteForeignKeyConstraint,
        DbUpdateException { InnerException: { } inner } => IsForeignKeyViolation(inner),
        _ => false,
    };
}
