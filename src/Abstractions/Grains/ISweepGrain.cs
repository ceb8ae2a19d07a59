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
    Task<TrialLease?> LeaseAsync(WorkerInfo worker, int maxTrials);

    /// <summary>Extends a lease; false when it has expired (the worker should drop its work).</summary>
    Task<bool> HeartbeatAsync(Guid leaseId);

    /// <summary>Stores a lease's results; false (nothing stored) when the lease is unknown or expired.</summary>
    Task<bool> CompleteAsync(LeaseCompletion completion);

    Task<SweepSnapshot> CancelAsync();

    [AlwaysInterleave]
    Task<SweepSnapshot> GetSnapshotAsync();
}
