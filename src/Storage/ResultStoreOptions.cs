using System.Data.Common;

namespace GradDescent.Storage;

/// <summary>Tuning of a result store; the defaults suit production.</summary>
public sealed record ResultStoreOptions
{
    /// <summary>Default transient-retry budget: long enough for a PostgreSQL restart or crash recovery.</summary>
    public static readonly TimeSpan DefaultTransientRetryBudget = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a write keeps retrying transient errors (connection refused or lost, database starting up or in
    /// recovery, busy) before it fails with <see cref="Abstractions.Storage.StoreUnavailableException"/>. Zero: no retries.
    /// </summary>
    public TimeSpan TransientRetryBudget { get; init; } = DefaultTransientRetryBudget;

    /// <summary>Most retries of one write within the budget (default: as many as the budget allows).</summary>
    public int MaxRetryAttempts { get; init; } = int.MaxValue;

    /// <summary>First retry delay; later ones grow exponentially (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest delay between two retries.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="MaxArtifactBytes"/>: 4 MiB.</summary>
    public const long DefaultMaxArtifactBytes = 4L * 1024 * 1024;

    /// <summary>
    /// Largest artefact content (an image, a data set) a trial may store; a larger one is left out and logged, the trial
    /// itself is stored. Experiments keep theirs far below (a 128×128 PNG is about 40 KB).
    /// </summary>
    public long MaxArtifactBytes { get; init; } = DefaultMaxArtifactBytes;

    /// <summary>Clock for <c>started_at</c>/<c>finished_at</c> of sweeps and for the retry budget.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Test seam: runs inside the result-batch transaction after the rows are written and before the commit,
    /// with the open connection and the 1-based attempt number.
    /// </summary>
    internal Func<DbConnection, int, CancellationToken, Task>? BeforeResultsCommit { get; init; }
}
