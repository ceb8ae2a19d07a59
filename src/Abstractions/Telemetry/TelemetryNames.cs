namespace GradDescent.Abstractions.Telemetry;

/// <summary>
/// The one <see cref="System.Diagnostics.Metrics.Meter"/> every GradDescent component records on, and the
/// label names its instruments use. Labels are bounded: never a trial id or a parameter value.
/// </summary>
public static class TelemetryNames
{
    /// <summary>Meter name; Prometheus series start with <c>graddescent_</c>.</summary>
    public const string Meter = "GradDescent";

    public const string Experiment = "experiment";

    /// <summary>How a stored trial ended: <c>completed</c>, <c>diverged</c>, <c>failed</c>, <c>pruned</c>.</summary>
    public const string Outcome = "outcome";

    /// <summary>A sweep id; only active sweeps carry series, so its values are bounded by the active sweeps.</summary>
    public const string Sweep = "sweep";

    /// <summary>A sweep's status in the store (<c>pending</c>, <c>running</c>, <c>paused</c>, <c>completed</c>, <c>cancelled</c>, <c>failed</c>).</summary>
    public const string Status = "status";

    public const string Worker = "worker";

    /// <summary>Why sweeps wait for a worker (<c>no_matching_worker</c>, <c>awaiting_fallback</c>).</summary>
    public const string Reason = "reason";

    public const string Pool = "pool";

    public const string Device = "device";
}
