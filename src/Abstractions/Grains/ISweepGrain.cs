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
    /// <exception cref="Storage.StoreUnavailableException">The result store is down: ask again later.</exception>
    /// <remarks>
    /// Lease, heartbeat and completion interleave: while one completion waits on the database, other
    /// workers still get batches and extend their leases. Their state changes happen between awaits.
    /// </remarks>
    [AlwaysInterleave]
    Task<TrialLease?> LeaseAsync(WorkerInfo worker, int maxTrials);

    /// <summary>
    /// Extends a lease; false when it has expired or <paramref name="token"/> is not its <see cref="TrialLease.Token"/>
    /// (the worker should drop its work).
    /// </summary>
    [AlwaysInterleave]
    Task<bool> HeartbeatAsync(Guid leaseId, Guid token);

    /// <summary>
    /// Stores a lease's results; false (nothing stored) when the lease is unknown, expired, or the completion does not
    /// carry the lease's token. Sending the same completion again (a retry after a timeout) is safe: it waits for, or
    /// repeats the answer of, the first.
    /// </summary>
    /// <exception cref="Storage.StoreUnavailableException">
    /// The result store is down: nothing was stored, the lease stays held; send the same completion again later.
    /// </exception>
    /// <exception cref="ControlPlaneException">The results could not be stored for another reason; the trials run again.</exception>
    [AlwaysInterleave]
    Task<bool> CompleteAsync(LeaseCompletion completion);

    /// <summary>
    /// Gives a lease back unfinished (a worker shutting down): its trials are handed out again at once. False when the
    /// lease is unknown, expired or <paramref name="token"/> is not its token.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> ReleaseAsync(Guid leaseId, Guid token);

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

    /// <summary>
    /// The dispatcher's periodic word on whether workers may take this sweep (<paramref name="wait"/>: why none can;
    /// null: some can). The sweep reclaims its expired leases, and while it has trials to hand out and none on a lease it
    /// shows the reason in its snapshot and in the store (<c>graddescent status</c>). True when it waits for that reason.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> ReportPlacementAsync(PlacementWait? wait);
}
