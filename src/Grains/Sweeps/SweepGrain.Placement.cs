using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Storage.Resilience;
using Microsoft.Extensions.Logging;

namespace GradDescent.Grains.Sweeps;

/// <summary>
/// Placement (docs/sweep-spec.md): the dispatcher matches workers to sweeps and says every few seconds when no live
/// worker may take this one. The sweep shows why it waits while it has trials to hand out and none out on a lease, in its
/// snapshot and in the stored sweep's error column (a running sweep has no error), which <c>status</c> reads.
/// </summary>
public sealed partial class SweepGrain
{
    private PlacementWait? waiting;
    private string? storedWaiting;
    private DateTimeOffset lastWorkerContact = DateTimeOffset.MinValue;

    public async Task<bool> ReportPlacementAsync(PlacementWait? wait)
    {
        if (run is null && sweep is null)
        {
            // A sweep the dispatcher knows from the store (after a silo restart) that no worker has asked for yet.
            await LoadAsync();
            if (state == SweepStatus.Running)
            {
                await ActivateRunAsync();
            }
        }

        if (run is null || state != SweepStatus.Running)
        {
            return false;
        }

        // Nobody may lease from a sweep whose workers died: their leases are reclaimed here, not at the next lease.
        var at = time.GetUtcNow();
        ReclaimExpiredLeases(at);
        ReportProgress();

        // A worker that completed a lease a moment ago is about to ask for the next (the dispatcher may not have seen it
        // for longer than a batch takes): the sweep waits only once no worker of it has been heard of for a lease's time.
        var now = wait is not null && run.InFlight == 0 && run.Unleased > 0 && at - lastWorkerContact > options.Value.LeaseDuration ? wait : null;
        if (now?.Text != waiting?.Text)
        {
            if (now is null)
            {
                LogPlaced(logger, SweepId);
            }
            else
            {
                LogWaiting(logger, SweepId, now.Text);
            }
        }

        waiting = now;
        var note = now is null ? null : SweepRecord.WaitingPrefix + now.Text;
        if (!string.Equals(note, storedWaiting, StringComparison.Ordinal))
        {
            try
            {
                await store.SetSweepWaitingAsync(SweepId, note, CancellationToken.None);
                storedWaiting = note;
            }
            catch (Exception e) when (DatabaseErrors.IsTransient(e))
            {
                // The next report writes it again; the snapshot already says it.
                LogWaitingNotStored(logger, SweepId, DatabaseErrors.Describe(e));
            }
        }

        return now is not null;
    }

    /// <summary>A worker took a lease of this sweep or sent its results.</summary>
    private void NoteWorkerContact() => lastWorkerContact = time.GetUtcNow();

    /// <summary>Puts the trials of leases past their deadline back in the queue, and says so.</summary>
    private void ReclaimExpiredLeases(DateTimeOffset now)
    {
        var expired = run!.ReclaimExpired(now);
        if (expired.Count > 0)
        {
            telemetry.LeasesExpired(expired.Count);
            foreach (var gone in expired)
            {
                LogLeaseExpired(logger, SweepId, gone.Id, gone.Worker.WorkerId, gone.Trials.Length);
            }
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Sweep {SweepId} waits: {Reason}.")]
    private static partial void LogWaiting(ILogger logger, string sweepId, string reason);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Sweep {SweepId}: a worker may take its trials again.")]
    private static partial void LogPlaced(ILogger logger, string sweepId);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Sweep {SweepId}: could not store why it waits ({Reason}); the next check tries again.")]
    private static partial void LogWaitingNotStored(ILogger logger, string sweepId, string reason);
}
