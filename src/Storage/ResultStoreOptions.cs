using System.Data.Common;

namespace GradDescent.Storage;

/// <summary>Tuning of a result store; the defaults suit production.</summary>
public sealed record ResultStoreOptions
{
    /// <summary>Retries of a write that failed with a transient error (connection lost, database busy).</summary>
    public int MaxRetryAttempts { get; init; } = 5;

    /// <summary>First retry delay; later ones grow exponentially (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Clock for <c>started_at</c>/<c>finished_at</c> of sweeps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Test seam: runs inside the result-batch transaction after the rows are written and before the commit,
    /// with the open connection and the 1-based attempt number.
    /// </summary>
    internal Func<DbConnection, int, CancellationToken, Task>? BeforeResultsCommit { get; init; }
}
