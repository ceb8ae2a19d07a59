using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Storage.Resilience;
using Microsoft.Extensions.Logging;

namespace GradDescent.Grains.Sweeps;

/// <summary>
/// The lease side of a sweep grain: heartbeats, completions and releases, each checked against the lease's token, and
/// how results reach the store (a completion sent twice is answered alike; a store outage keeps the lease and pauses
/// leasing).
/// </summary>
public sealed partial class SweepGrain
{
    public Task<bool> HeartbeatAsync(Guid leaseId, Guid token)
    {
        if (completions.TryGetPending(leaseId, out var pending))
        {
            // Its results are being stored: nothing to extend, and nothing to give up.
            return Task.FromResult(pending.Lease.Holds(token) || Refused(leaseId, "heartbeat", pending.Lease));
        }

        var now = time.GetUtcNow();
        if (run?.Find(leaseId) is { } held && !held.Holds(token))
        {
            return Task.FromResult(Refused(leaseId, "heartbeat", held));
        }

        var alive = run is not null && state is SweepStatus.Running or SweepStatus.Paused && run.Extend(leaseId, token, now, now + options.Value.LeaseDuration);
        return Task.FromResult(alive);
    }

    public async Task<bool> CompleteAsync(LeaseCompletion completion)
    {
        NoteWorkerContact();
        if (run is null)
        {
            LogLateCompletion(logger, SweepId, completion.LeaseId, completion.WorkerId);
            return false;
        }

        if (completions.TryGetPending(completion.LeaseId, out var pending))
        {
            // A retry of a completion whose write is still under way: the first write's answer is this one's.
            return pending.Lease.Holds(completion.Token) ? await pending.Write : Refused(completion.LeaseId, $"completion from {completion.WorkerId}", pending.Lease);
        }

        if (completions.WasStored(completion.LeaseId, out var storedToken))
        {
            return storedToken == completion.Token || Refused(completion.LeaseId, $"completion from {completion.WorkerId}", null);
        }

        var now = time.GetUtcNow();
        if (run.Find(completion.LeaseId) is { } held && !held.Holds(completion.Token))
        {
            return Refused(completion.LeaseId, $"completion from {completion.WorkerId}", held);
        }

        var lease = run.Close(completion.LeaseId, now, out var expired);
        if (lease is null)
        {
            if (expired)
            {
                telemetry.LeasesExpired(1);
                ReportProgress();
            }

            LogLateCompletion(logger, SweepId, completion.LeaseId, completion.WorkerId);
            return false;
        }

        if (state is not SweepStatus.Running and not SweepStatus.Paused)
        {
            // Cancelled while the batch ran: keep nothing, the trials stay unstored for a resume.
            run.RequeueStarted(lease.Trials);
            return false;
        }

        // What the batch cost sizes the next leases of its kind, whether or not its results can be stored now.
        sizer?.Observe(completion.Results);
        var write = StoreAsync(lease, completion, now);
        completions.Begin(lease, write, now);
        try
        {
            return await write;
        }
        finally
        {
            completions.End(lease.Id);
        }
    }

    public Task<bool> ReleaseAsync(Guid leaseId, Guid token)
    {
        if (run?.Find(leaseId) is { } held && !held.Holds(token))
        {
            return Task.FromResult(Refused(leaseId, "release", held));
        }

        var lease = run?.Release(leaseId, token);
        if (lease is not null)
        {
            LogReleased(logger, SweepId, leaseId, lease.Worker.WorkerId, lease.Trials.Length);
            ReportProgress();
        }

        return Task.FromResult(lease is not null);
    }

    /// <summary>
    /// Stores a closed lease's results. When the store is unreachable the lease is given back to its holder with a new
    /// deadline (the worker sends the same results again after backing off) and no sweep hands out work for a while;
    /// any other failure puts the trials back in the queue. Neither lets a database exception cross to the worker.
    /// </summary>
    private async Task<bool> StoreAsync(Lease lease, LeaseCompletion completion, DateTimeOffset now)
    {
        var (toStore, toRetry) = run!.Resolve(lease, completion, now);
        toStore = [.. toStore.Select(run.Source.Complete)];
        try
        {
            if (toStore.Count > 0)
            {
                await store.SaveResultsAsync(toStore, CancellationToken.None);
            }
        }
        catch (Exception ex) when (DatabaseErrors.IsTransient(ex))
        {
            var failedAt = time.GetUtcNow();
            storeDownUntil = failedAt + options.Value.StoreRetryAfter;
            LogStoreUnavailable(logger, SweepId, lease.Id, lease.Worker.WorkerId, toStore.Count, DatabaseErrors.Describe(ex));
            if (state is SweepStatus.Running or SweepStatus.Paused)
            {
                run.Restore(lease, failedAt + options.Value.LeaseDuration);
            }
            else
            {
                run.RequeueStarted(lease.Trials);
            }

            ReportProgress();
            throw new StoreUnavailableException(
                "the result store is unavailable; nothing of this lease was stored and it is still yours: send the same results again later");
        }
        catch (Exception ex)
        {
            // Not something waiting fixes (the store already split refused rows off): the batch runs again.
            LogStoreFailed(logger, ex, SweepId, toStore.Count);
            run.RequeueStarted(lease.Trials);
            ReportProgress();
            throw new ControlPlaneException($"storing the results of lease {lease.Id} failed ({DatabaseErrors.Describe(ex)}); its trials run again");
        }

        if (storeDownUntil != default)
        {
            storeDownUntil = default;
            LogStoreBack(logger, SweepId);
        }

        completions.Stored(lease.Id, lease.Token);
        run.MarkStored(toStore);
        run.Requeue(toRetry);
        if (run.IsDone)
        {
            await FinishAsync();
        }

        ReportProgress();
        return true;
    }

    /// <summary>Counts and logs a call that named a live lease without its token; always false.</summary>
    private bool Refused(Guid leaseId, string call, Lease? lease)
    {
        telemetry.LeaseCallRefused();
        LogRefused(logger, SweepId, call, leaseId, lease?.Worker.WorkerId ?? "(already stored)");
        return false;
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Sweep {SweepId}: discarded results of unknown or expired lease {LeaseId} from worker {WorkerId}.")]
    private static partial void LogLateCompletion(ILogger logger, string sweepId, Guid leaseId, string workerId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Sweep {SweepId}: storing {Count} results failed; the batch will run again.")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string sweepId, int count);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Sweep {SweepId}: the result store is unavailable ({Reason}); {Count} result(s) of lease {LeaseId} from worker {WorkerId} wait for it to come back, and no work is handed out meanwhile.")]
    private static partial void LogStoreUnavailable(ILogger logger, string sweepId, Guid leaseId, string workerId, int count, string reason);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Sweep {SweepId}: the result store is back; handing out work again.")]
    private static partial void LogStoreBack(ILogger logger, string sweepId);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Sweep {SweepId}: refused a {Call} for lease {LeaseId} without the lease's token (the lease is worker {WorkerId}'s).")]
    private static partial void LogRefused(ILogger logger, string sweepId, string call, Guid leaseId, string workerId);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Sweep {SweepId}: worker {WorkerId} gave back lease {LeaseId}; its {Count} trial(s) are handed out again.")]
    private static partial void LogReleased(ILogger logger, string sweepId, Guid leaseId, string workerId, int count);
}
