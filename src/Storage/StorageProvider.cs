namespace GradDescent.Storage;

/// <summary>The database behind a result store, chosen from the connection string.</summary>
public enum StorageProvider
{
    /// <summary><c>Data Source=path.db</c> or a bare path ending in <c>.db</c>.</summary>
    Sqlite,

    /// <summary>An Npgsql connection string (<c>Host=...;Database=...</c>).</summary>
    PostgreSql,
}
