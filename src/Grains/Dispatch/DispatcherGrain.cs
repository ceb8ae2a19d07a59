using System.Collections.Immutable;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Grains.Sweeps;
using GradDescent.Grains.Telemetry;
using GradDescent.Storage;
using GradDescent.Storage.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Grains.Dispatch;

/// <summary>
/// Hands workers batches from running sweeps, round robin, each worker only from the sweeps whose placement it matches
/// (<see cref="PlacementBoard"/>). On activation it asks the store which sweeps were running and restarts their grains:
/// a restarted control silo picks them up by itself. Every <see cref="PlacementCheckInterval"/> it tells each running
/// sweep whether a live worker may take it (<c>status</c> shows why one waits; <c>graddescent_sweeps_unplaced</c> counts them).
/// </summary>
public sealed partial class DispatcherGrain(
    IResultStore store,
    TimeProvider time,
    IOptions<SweepOptions> options,
    PlacementPolicy placement,
    GrainsTelemetry telemetry,
    ILogger<DispatcherGrain> logger) : Grain, IDispatcherGrain
{
    /// <summary>How often the running sweeps hear whether a live worker may take them.</summary>
    public static readonly TimeSpan PlacementCheckInterval = TimeSpan.FromSeconds(2);

    private readonly List<string> running = [];
    private readonly Dictionary<string, WorkerSeen> workers = [];
    private readonly PlacementBoard board = new(options.Value.LeaseDuration, options.Value.PlacementFallback, placement.Enforced);
    private int next;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ActivationTurn.LeaveActivationLockAsync();

        // Sweeps the store says were running start again on their first lease request
        // (SweepGrain.LeaseAsync loads itself), so nothing here waits on another grain.
        IReadOnlyList<SweepRecord> sweeps;
        try
        {
            sweeps = await store.ListSweepsAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseErrors.IsTransient(e))
        {
            // The activation fails and the caller (a worker) hears why in a form it can read; the next call tries again.
            throw new StoreUnavailableException($"the result store is unavailable ({DatabaseErrors.Describe(e)}); retry later");
        }

        foreach (var sweep in sweeps)
        {
            if (sweep.Status == SweepStatus.Running)
            {
                await AddSweepAsync(sweep.Id, SweepRoutes.Of(sweep, options.Value));
            }
        }

        if (placement.Enforced)
        {
            this.RegisterGrainTimer(
                CheckPlacementAsync,
                new GrainTimerCreationOptions { DueTime = PlacementCheckInterval, Period = PlacementCheckInterval, Interleave = true, KeepAlive = true });
        }

        LogActivated(logger, running.Count);
        await base.OnActivateAsync(cancellationToken);
    }

    public Task AddSweepAsync(string sweepId, SweepRoute route)
    {
        if (!running.Contains(sweepId))
        {
            running.Add(sweepId);
        }

        board.Add(sweepId, route, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task RemoveSweepAsync(string sweepId)
    {
        running.Remove(sweepId);
        board.Remove(sweepId);
        return Task.CompletedTask;
    }

    public async Task<TrialLease?> LeaseAsync(WorkerInfo worker, int maxTrials)
    {
        var seen = workers.GetValueOrDefault(worker.WorkerId);
        var leased = seen?.TrialsLeased ?? 0;
        TrialLease? lease = null;
        var candidates = running.ToArray();
        for (var i = 0; i < candidates.Length && lease is null; i++)
        {
            var sweepId = candidates[(next + i) % candidates.Length];
            if (board.Admits(sweepId, worker, time.GetUtcNow()))
            {
                lease = await GrainFactory.GetGrain<ISweepGrain>(sweepId).LeaseAsync(worker, maxTrials);
            }
        }

        if (lease is not null)
        {
            board.Leased(lease.SweepId, worker, time.GetUtcNow());
        }

        next = candidates.Length == 0 ? 0 : (next + 1) % candidates.Length;
        leased += lease?.Trials.Length ?? 0;
        var busy = Math.Min(worker.Slots, worker.BusySlots + (lease is null ? 0 : 1));
        workers[worker.WorkerId] = new WorkerSeen(worker, time.GetUtcNow(), leased, busy);
        return lease;
    }

    public Task<ImmutableArray<WorkerSeen>> GetWorkersAsync() => Task.FromResult(workers.Values.ToImmutableArray());

    public Task<ImmutableArray<string>> GetRunningSweepsAsync() => Task.FromResult(running.ToImmutableArray());

    /// <summary>Tells each running sweep whether a live worker may take it, and counts those that wait, by reason.</summary>
    private async Task CheckPlacementAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var seen = workers.Values.ToList();
        var checks = running.Select(async sweepId =>
        {
            var wait = board.WaitOf(sweepId, seen, now);
            try
            {
                return await GrainFactory.GetGrain<ISweepGrain>(sweepId).ReportPlacementAsync(wait).WaitAsync(cancellationToken) ? wait?.Reason : null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPlacementCheckFailed(logger, e, sweepId);
                return null;
            }
        }).ToList();
        var reasons = await Task.WhenAll(checks);
        telemetry.ReportUnplaced(reasons.OfType<PlacementWaitReason>().CountBy(r => r).ToDictionary());
    }

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Could not tell sweep {SweepId} whether a worker may take it; the next check tries again.")]
    private static partial void LogPlacementCheckFailed(ILogger logger, Exception exception, string sweepId);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Dispatcher active with {Count} running sweep(s) from the store.")]
    private static partial void LogActivated(ILogger logger, int count);
}
