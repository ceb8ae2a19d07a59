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

    /// <summary>
    /// How long a write keeps retrying transient database errors before the command or sweep fails with
    /// <c>StoreUnavailableException</c> (<c>GradDescent__Database__TransientRetryBudget</c>); zero: no retries.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan TransientRetryBudget { get; set; } = ResultStoreOptions.DefaultTransientRetryBudget;
}
