namespace GradDescent.Dashboard.Services;

/// <summary>A sweep as the dashboard and its API show it: the stored record, progress counts and the live rate.</summary>
public sealed record SweepView
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Experiment { get; init; }

    /// <summary><c>pending</c>, <c>running</c>, <c>paused</c>, <c>completed</c>, <c>cancelled</c> or <c>failed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Trials the spec expands to.</summary>
    public required long Trials { get; init; }

    public required long Completed { get; init; }

    public required long Diverged { get; init; }

    public required long Failed { get; init; }

    /// <summary>Trials with a stored result, whatever their status.</summary>
    public long Done => Completed + Diverged + Failed;

    /// <summary>Done ÷ trials, 0 to 1.</summary>
    public double Progress => Trials == 0 ? 1 : (double)Done / Trials;

    /// <summary>Trials out on a lease now (running and paused sweeps whose control plane answered).</summary>
    public long? InFlight { get; init; }

    /// <summary>Trials stored per second since the control plane (re)started the sweep.</summary>
    public double? TrialsPerSecond { get; init; }

    /// <summary>Seconds until every trial is stored at the current rate.</summary>
    public double? EtaSeconds { get; init; }

    public required string PrimaryMetric { get; init; }

    /// <summary><c>minimize</c> or <c>maximize</c>.</summary>
    public required string Goal { get; init; }

    public double? Best { get; init; }

    public long? BestTrial { get; init; }

    /// <summary>The best trial's swept parameters (all parameters when nothing is swept).</summary>
    public IReadOnlyDictionary<string, string>? BestParameters { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string? Error { get; init; }

    public string? Description { get; init; }

    /// <summary>The parameters the spec varies (grid axes and random dimensions), in spec order.</summary>
    public required IReadOnlyList<string> SweptParameters { get; init; }

    public bool IsActive => Status is "pending" or "running" or "paused";
}
