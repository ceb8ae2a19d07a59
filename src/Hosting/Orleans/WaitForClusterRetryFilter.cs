using Microsoft.Extensions.Logging;

namespace GradDescent.Hosting.Orleans;

/// <summary>
/// Keeps a cluster client trying to connect while no silo answers (the silo may still be installing its
/// membership table or joining), for at most <paramref name="patience"/> (<see cref="Timeout.InfiniteTimeSpan"/>:
/// until the host stops, as workers do).
/// </summary>
internal sealed partial class WaitForClusterRetryFilter(TimeSpan patience, TimeProvider time, ILogger<WaitForClusterRetryFilter> logger)
    : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private long? firstFailure;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        firstFailure ??= time.GetTimestamp();
        if (patience != Timeout.InfiniteTimeSpan && time.GetElapsedTime(firstFailure.Value) >= patience)
        {
            return false;
        }

        LogWaiting(logger, exception.GetType().Name, exception.Message.Split('\n', 2)[0]);
        await Task.Delay(Delay, time, cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "No silo reachable yet ({Error}: {Message}); retrying")]
    private static partial void LogWaiting(ILogger logger, string error, string message);
}
