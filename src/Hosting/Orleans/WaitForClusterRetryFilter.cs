using Microsoft.Extensions.Logging;

namespace GradDescent.Hosting.Orleans;

/// <summary>
/// Keeps a cluster client (a worker) trying to connect until a silo answers or the host stops: workers
/// may start before the control silo has installed its membership table or joined.
/// </summary>
internal sealed partial class WaitForClusterRetryFilter(TimeProvider time, ILogger<WaitForClusterRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogWaiting(logger, exception.GetType().Name, exception.Message.Split('\n', 2)[0]);
        await Task.Delay(Delay, time, cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "No silo reachable yet ({Error}: {Message}); retrying")]
    private static partial void LogWaiting(ILogger logger, string error, string message);
}
