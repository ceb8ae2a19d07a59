namespace GradDescent.Abstractions.Storage;

/// <summary>
/// The result store stayed unreachable (connection refused or lost, database restarting, busy) for the whole
/// transient-retry budget. Nothing of the failed write was stored; the same write may be tried again later unchanged.
/// Callers that can wait (the sweep grain, workers) should pause and retry rather than give up on the sweep.
/// </summary>
[GenerateSerializer]
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
        : base("the result store is unavailable")
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long the store kept retrying before it gave up.</summary>
    [Id(0)]
    public TimeSpan RetriedFor { get; init; }
}
