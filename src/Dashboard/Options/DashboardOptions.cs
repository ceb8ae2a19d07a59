using System.ComponentModel.DataAnnotations;

namespace GradDescent.Dashboard.Options;

/// <summary>Dashboard settings (section <c>GradDescent:Dashboard</c>, e.g. <c>GradDescent__Dashboard__ApiKeys__0</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "GradDescent:Dashboard";

    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Where the dashboard listens (semicolon-separated); loopback unless an operator says otherwise.</summary>
    [Required]
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>
    /// Keys that may change state (launch, cancel, pause, resume): <c>Authorization: Bearer KEY</c> on the API, or a
    /// sign-in on the pages. None configured: every state-changing endpoint and button is disabled.
    /// </summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Whether reading (pages and GET endpoints) also needs a key. Default: reading is open.</summary>
    public bool RequireKeyToRead { get; set; }

    /// <summary>Largest spec accepted by launch (bytes).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxSpecBytes { get; set; } = 1024 * 1024;

    /// <summary>Launches (and spec checks) one client may make per minute.</summary>
    [Range(1, 10_000)]
    public int LaunchesPerMinute { get; set; } = 30;

    /// <summary>How often live views (server-sent events) get a new snapshot.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan LiveInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most points a chart gets (history, parallel coordinates); larger sweeps are sampled evenly.</summary>
    [Range(100, 100_000)]
    public int MaxChartPoints { get; set; } = 2000;

    public bool StateChangesEnabled => ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k));

    /// <summary>The addresses of <see cref="Urls"/>, one per entry (a method: not a setting of its own).</summary>
    public string[] Addresses() => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
