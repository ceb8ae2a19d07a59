namespace GradDescent.Abstractions.Storage;

/// <summary>
/// A sweep's stored status with the heartbeat of the local process running it. A local run (<c>run</c>,
/// <c>resume</c>) writes a heartbeat every <see cref="HeartbeatInterval"/> and clears it when it stops; a
/// <see cref="SweepStatus.Running"/> local sweep whose heartbeat is gone or older than <see cref="StaleAfter"/> was
/// interrupted (Ctrl-C, kill, crash) and continues only with <c>graddescent resume</c>. Cluster sweeps have no local
/// session: a control silo resumes them when it starts.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SweepLiveness(
    [property: Id(0)] SweepStatus Status,
    [property: Id(1)] string? LocalSession,
    [property: Id(2)] DateTimeOffset? HeartbeatAt)
{
    /// <summary>How often a local run writes its heartbeat.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    /// <summary>A heartbeat older than this means the local run is gone (generous: a loaded machine writes late).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(15);

    /// <summary>A local process is running this sweep now (its heartbeat is fresh).</summary>
    public bool IsLocalRunAlive(DateTimeOffset now) =>
        LocalSession is not null && HeartbeatAt is { } beat && now - beat <= StaleAfter;

    /// <summary>Stored as running by a local run that is no longer alive.</summary>
    public bool IsInterrupted(DateTimeOffset now) =>
        Status == SweepStatus.Running && LocalSession is not null && !IsLocalRunAlive(now);

    /// <summary>The status to show: the stored one in lower case, or <c>interrupted</c>.</summary>
    public string Describe(DateTimeOffset now) =>
        IsInterrupted(now) ? "interrupted" : Status.ToString().ToLowerInvariant();
}
