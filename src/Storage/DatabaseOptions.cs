using System.ComponentModel.DataAnnotations;

namespace GradDescent.Storage;

/// <summary>Result store (section <c>GradDescent:Database</c>; env <c>GradDescent__Database__ConnectionString</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "GradDescent:Database";

    public const string DefaultConnectionString = "Data Source=graddescent.db";

    /// <summary>SQLite (<c>Data Source=file.db</c>) or PostgreSQL (<c>Host=...;Database=...</c>).</summary>
    [Required]
    public string ConnectionString { get; set; } = DefaultConnectionString;
}
