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

    /// <summary>
    /// Sets a sweep's status (and error). Entering <see cref="SweepStatus.Running"/> sets <c>started_at</c> once;
    /// entering completed, cancelled or failed sets <c>finished_at</c>; entering pending or running clears it (a resume).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No sweep has that id.</exception>
    Task SetSweepStatusAsync(string sweepId, SweepStatus status, string? error = null, CancellationToken cancellationToken = default);

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

    /// <returns>The trial's step series ordered by metric name; empty if the trial is not stored.</returns>
    Task<IReadOnlyList<StepSeries>> GetStepsAsync(string sweepId, long trialIndex, CancellationToken cancellationToken = default);
}
