using System.Data.Common;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Storage;

namespace GradDescent.Silo.Commands;

/// <summary>
/// The local run's link to the store while it runs a sweep: every <see cref="PollInterval"/> it reads the sweep's stored
/// status (one row, three columns) and applies a <c>graddescent cancel</c> from another terminal to the in-process
/// grain; every <see cref="SweepLiveness.HeartbeatInterval"/> it writes the heartbeat that tells <c>status</c> this run
/// is alive. When the sweep is cancelled or deleted it cancels <paramref name="watching"/>, so the run ends at once.
/// </summary>
public sealed class LocalSessionMonitor(IResultStore store, ISweepGrain grain, string sweepId, string session, TimeProvider time, CancellationTokenSource watching)
{
    /// <summary>How often the stored status is read: a cancel reaches the run within this (plus one grain call).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Why the monitor stopped the watch; null while it has not.</summary>
    public StopReason? Stopped { get; private set; }

    public enum StopReason
    {
        Cancelled,
        Deleted,
    }

    /// <summary>Polls and heartbeats until <paramref name="cancellationToken"/> is cancelled or the sweep is cancelled or deleted.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = UntilStoppedAsync(HeartbeatAsync, stop.Token);
        try
        {
            await UntilStoppedAsync(PollAsync, stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat;
        }
    }

    /// <summary>Runs a loop; its end by <paramref name="cancellationToken"/>, mid-query or between ticks, is a normal end.</summary>
    private static async Task UntilStoppedAsync(Func<CancellationToken, Task> loop, CancellationToken cancellationToken)
    {
        try
        {
            await loop(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            SweepLiveness? stored;
            try
            {
                stored = await store.GetSweepLivenessAsync(sweepId, cancellationToken);
            }
            catch (Exception e) when (e is DbException or StoreUnavailableException)
            {
                // The next tick asks again; the sweep's own writes wait out the outage through their retry budget.
                continue;
            }

            if (stored is null)
            {
                Stop(StopReason.Deleted);
                return;
            }

            if (stored.Status == SweepStatus.Cancelled)
            {
                await grain.CancelAsync();
                Stop(StopReason.Cancelled);
                return;
            }
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SweepLiveness.HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await store.SetSweepHeartbeatAsync(sweepId, session, cancellationToken);
            }
            catch (Exception e) when (e is DbException or StoreUnavailableException)
            {
                // A missed beat: status shows the run as interrupted only after several in a row.
            }
        }
    }

    private void Stop(StopReason reason)
    {
        Stopped = reason;
        watching.Cancel();
    }
}
