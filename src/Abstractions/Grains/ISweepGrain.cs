using Orleans.Concurrency;

namespace GradDescent.Abstractions.Grains;

/// <summary>
/// One sweep's control plane (key: sweep id). Expands the spec lazily by trial index, leases fused
/// batches to workers, reclaims expired leases, stores every result exactly once and tracks progress.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Loads the sweep from the result store and starts (or resumes) handing out its trials.</summary>
    /// <exception cref="KeyNotFoundException">No sweep with this id is stored.</exception>
    Task<SweepSnapshot> StartAsync();

    /// <summary>Next batch for a worker, or null when nothing is left to hand out right now.</summary>
    /// <remarks>
    /// Lease, heartbeat and completion interleave: while one completion waits on the database, other
    /// workers still get batches and extend their leases. Their state changes happen between awaits.
    /// </remarks>
    [AlwaysInterleave]
    Task<TrialLease?> LeaseAsync(WorkerInfo worker, int maxTrials);

    /// <summary>Extends a lease; false when it has expired (the worker should drop its work).</summary>
    [AlwaysInterleave]
    Task<bool> HeartbeatAsync(Guid leaseId);

    /// <summary>Stores a lease's results; false (nothing stored) when the lease is unknown or expired.</summary>
    [AlwaysInterleave]
    Task<bool> CompleteAsync(LeaseCompletion completion);

    Task<SweepSnapshot> CancelAsync();

    /// <summary>
    /// Stops handing out new trials of a running sweep; leases already out still heartbeat, complete and are
    /// stored. A paused sweep stays paused across silo restarts. No effect on a sweep that is not running.
    /// </summary>
    Task<SweepSnapshot> PauseAsync();

    /// <summary>Hands out the trials of a paused sweep again. No effect on a sweep that is not paused.</summary>
    Task<SweepSnapshot> ResumeAsync();

    [AlwaysInterleave]
    Task<SweepSnapshot> GetSnapshotAsync();
}
