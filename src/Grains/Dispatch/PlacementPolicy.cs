namespace GradDescent.Grains.Dispatch;

/// <summary>
/// Whether the dispatcher matches sweeps to workers (docs/sweep-spec.md, Placement). A cluster does; local mode (<c>run</c>,
/// <c>resume</c>, a dashboard on SQLite) has one worker, in its own process, which takes every sweep at once: a spec's
/// placement describes the cluster it may be submitted to, and a local run is never slowed by a preference.
/// </summary>
public sealed record PlacementPolicy(bool Enforced)
{
    public static PlacementPolicy Cluster { get; } = new(true);

    public static PlacementPolicy LocalWorker { get; } = new(false);
}
