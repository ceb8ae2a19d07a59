using System.Collections.Immutable;
using Orleans.Concurrency;

namespace GradDescent.Abstractions.Grains;

/// <summary>
/// The cluster's single entry point for workers (key 0): knows the running sweeps and the workers
/// that asked for work, and forwards each lease request to a running sweep.
/// </summary>
public interface IDispatcherGrain : IGrainWithIntegerKey
{
    /// <summary>Marks a sweep as running so workers that <paramref name="route"/> allows get its trials.</summary>
    [AlwaysInterleave]
    Task AddSweepAsync(string sweepId, SweepRoute route);

    /// <summary>Forgets a finished or cancelled sweep.</summary>
    [AlwaysInterleave]
    Task RemoveSweepAsync(string sweepId);

    /// <summary>
    /// A batch from some running sweep whose placement the worker matches (its pool and device, as
    /// <paramref name="worker"/> advertises them), or null when no such sweep has work for it.
    /// </summary>
    Task<TrialLease?> LeaseAsync(WorkerInfo worker, int maxTrials);

    Task<ImmutableArray<WorkerSeen>> GetWorkersAsync();

    Task<ImmutableArray<string>> GetRunningSweepsAsync();
}
