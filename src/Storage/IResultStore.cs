using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Storage;

/// <summary>
/// The result store: sweeps, one result per trial, and each trial's step series.
/// Implementations are thread-safe; create one per process with <see cref="ResultStoreFactory"/>.
/// </summary>
public interface IResultStore : IAsyncDisposable
{
    /// <summary>Which database this store writes to.</summary>
    StorageProvider Provider { get; }

    /// <summary>
    /// Creates the schema or upgrades it to the latest version, keeping existing data. Safe to call from
    /// several processes at once (PostgreSQL: advisory lock; SQLite: an immediate transaction).
    /// </summary>
    /// <returns>The schema version after the call.</returns>
    Task<int> EnsureSchemaAsync(CancellationToken cancellationToken = default);

    /// <exception cref="SweepAlreadyExistsException">A sweep with that id is already stored.</exception>
    Task CreateSweepAsync(SweepRecord sweep, CancellationToken cancellationToken = default);

    /// <returns>The sweep, or null if no sweep has that id.</returns>
    Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <returns>All sweeps, newest first.</returns>
    Task<IReadOnlyList<SweepRecord>> ListSweepsAsync(CancellationToken cancellationToken = default);

    /// <summary>How many sweeps the store holds in each status; every status is a key (zero when none).</summary>
    Task<IReadOnlyDictionary<SweepStatus, long>> CountSweepsByStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a sweep's status (and error). Entering <see cref="SweepStatus.Running"/> sets <c>started_at</c> once;
    /// entering completed, cancelled or failed sets <c>finished_at</c>; entering pending or running clears it (a resume).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No sweep has that id.</exception>
    Task SetSweepStatusAsync(string sweepId, SweepStatus status, string? error = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores why a running sweep waits for a worker (placement, docs/sweep-spec.md) in its error column, or clears it
    /// (null). Only a sweep that is still running is changed: a status set meanwhile (completed, paused) is kept.
    /// </summary>
    Task SetSweepWaitingAsync(string sweepId, string? waiting, CancellationToken cancellationToken = default);

    /// <summary>Reads only a sweep's status and local-run heartbeat: cheap enough to poll several times a second.</summary>
    /// <returns>Null if no sweep has that id.</returns>
    Task<SweepLiveness?> GetSweepLivenessAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the local process <paramref name="session"/> (<c>host:pid</c>) runs the sweep and is alive now
    /// (<see cref="SweepLiveness.HeartbeatInterval"/>); a later session of the same sweep replaces an earlier one.
    /// </summary>
    /// <returns>False when no sweep has that id (it was deleted).</returns>
    Task<bool> SetSweepHeartbeatAsync(string sweepId, string session, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="session"/> stopped running the sweep (no effect if another session took it over).</summary>
    Task ClearSweepHeartbeatAsync(string sweepId, string session, CancellationToken cancellationToken = default);

    /// <summary>Deletes a sweep with its trials and their step series, in one transaction.</summary>
    /// <returns>False when no sweep has that id.</returns>
    Task<bool> DeleteSweepAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a batch of results atomically. A result whose (sweep, index) is already stored, or that repeats
    /// earlier in the batch, is ignored, so a trial keeps exactly one result however often it is delivered.
    /// </summary>
    /// <returns>How many results this call newly stored.</returns>
    /// <exception cref="ArgumentException">A result is incomplete; the message names it and the field.</exception>
    /// <exception cref="KeyNotFoundException">A result names a sweep that was never created; nothing was stored.</exception>
    Task<int> SaveResultsAsync(IReadOnlyList<TrialResult> results, CancellationToken cancellationToken = default);

    /// <summary>Opens a connection and runs a trivial query: the readiness probe of the store.</summary>
    /// <exception cref="System.Data.Common.DbException">The database cannot be reached.</exception>
    Task PingAsync(CancellationToken cancellationToken = default);

    /// <summary>The indexes of the sweep's stored trials (what a resume skips).</summary>
    Task<IReadOnlySet<long>> GetStoredTrialIndexesAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <exception cref="KeyNotFoundException">No sweep has that id.</exception>
    Task<SweepProgress> GetProgressAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>Streams the sweep's stored results by trial index, without their step series.</summary>
    IAsyncEnumerable<TrialResult> GetResultsAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the sweep's stored results by trial index with the step series named in <paramref name="stepMetrics"/>
    /// (those a trial has, ordered by metric name): what a search sweep's grain observes when it resumes.
    /// </summary>
    IAsyncEnumerable<TrialResult> GetResultsAsync(string sweepId, IReadOnlyCollection<string> stepMetrics, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets what a sweep optimises (<c>sweep_objectives</c>, read by the <c>pareto_front</c> view), replacing what was
    /// set before; the same list again changes nothing. At most four objectives.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No sweep has that id.</exception>
    Task SetSweepObjectivesAsync(string sweepId, IReadOnlyList<SweepObjectiveRecord> objectives, CancellationToken cancellationToken = default);

    /// <returns>The trial's step series ordered by metric name; empty if the trial is not stored.</returns>
    Task<IReadOnlyList<StepSeries>> GetStepsAsync(string sweepId, long trialIndex, CancellationToken cancellationToken = default);
}
