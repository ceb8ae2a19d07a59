using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Grains.Telemetry;

/// <summary>
/// Reads the stored sweeps' statuses into <see cref="SweepStatusTelemetry"/> when the host starts and every
/// <see cref="SweepStatusTelemetry.RefreshInterval"/> after. A read that fails (the store is down: readiness says so)
/// keeps the last counts and is logged once until a read succeeds again.
/// </summary>
internal sealed partial class SweepStatusRefresher(SweepStatusTelemetry telemetry, TimeProvider time, ILogger<SweepStatusRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepStatusTelemetry.RefreshInterval, time);
        var failing = false;
        do
        {
            try
            {
                await telemetry.RefreshAsync(stoppingToken).ConfigureAwait(false);
                failing = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    LogRefreshFailed(logger, ex);
                }

                failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Could not read the stored sweeps' statuses for graddescent_sweeps; the gauge keeps its last counts.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
