using GradDescent.Hosting.Tls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Hosting.Orleans;

/// <summary>
/// Keeps a cluster client trying to connect while no silo answers (the silo may still be installing its
/// membership table or joining), for at most <paramref name="patience"/> (<see cref="Timeout.InfiniteTimeSpan"/>:
/// until the host stops, as workers do). A client without TLS says that a TLS silo would drop it.
/// </summary>
internal sealed partial class WaitForClusterRetryFilter(
    TimeSpan patience, TimeProvider time, IOptions<ClusterTlsOptions> tls, ILogger<WaitForClusterRetryFilter> logger)
    : IClientConnectionRetryFilter
{
    private const string NoTlsHint =
        "; this client has no TLS certificates, and a silo that uses TLS drops it: set GradDescent__Cluster__Tls__CertificatePath, KeyPath and CaPath";

    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private long? firstFailure;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        firstFailure ??= time.GetTimestamp();
        if (patience != Timeout.InfiniteTimeSpan && time.GetElapsedTime(firstFailure.Value) >= patience)
        {
            return false;
        }

        var hint = ClusterTlsScope.Client.IsEnabled(tls.Value) ? string.Empty : NoTlsHint;
        LogWaiting(logger, exception.GetType().Name, exception.Message.Split('\n', 2)[0], hint);
        await Task.Delay(Delay, time, cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "No silo reachable yet ({Error}: {Message}){Hint}; retrying")]
    private static partial void LogWaiting(ILogger logger, string error, string message, string hint);
}
