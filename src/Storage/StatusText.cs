using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Storage;

/// <summary>The lower-case text stored for trial and sweep statuses.</summary>
internal static class StatusText
{
    public const string Completed = "completed";
    public const string Diverged = "diverged";
    public const string Failed = "failed";
    public const string Pruned = "pruned";

    public static string Of(TrialStatus status) => status switch
    {
        TrialStatus.Completed => Completed,
        TrialStatus.Diverged => Diverged,
        TrialStatus.Failed => Failed,
        TrialStatus.Pruned => Pruned,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown trial status"),
    };

    public static string Of(SweepStatus status) => status switch
    {
        SweepStatus.Pending => "pending",
        SweepStatus.Running => "running",
        SweepStatus.Paused => "paused",
        SweepStatus.Completed => Completed,
        SweepStatus.Cancelled => "cancelled",
        SweepStatus.Failed => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown sweep status"),
    };

    public static TrialStatus ParseTrial(string text) => text switch
    {
        Completed => TrialStatus.Completed,
        Diverged => TrialStatus.Diverged,
        Failed => TrialStatus.Failed,
        Pruned => TrialStatus.Pruned,
        _ => throw new FormatException($"trials.status: unknown value '{text}'"),
    };

    public static SweepStatus ParseSweep(string text) => text switch
    {
        "pending" => SweepStatus.Pending,
        "running" => SweepStatus.Running,
        "paused" => SweepStatus.Paused,
        Completed => SweepStatus.Completed,
        "cancelled" => SweepStatus.Cancelled,
        Failed => SweepStatus.Failed,
        _ => throw new FormatException($"sweeps.status: unknown value '{text}'"),
    };
}
