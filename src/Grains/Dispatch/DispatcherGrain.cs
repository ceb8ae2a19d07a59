using System.Collections.Immutable;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Storage;
using Microsoft.Extensions.Logging;

namespace GradDescent.Grains.Dispatch;

/// <summary>
/// Hands workers batches from running sweeps, round robin. On activation it asks the store which
/// sweeps were running and restarts their grains: a restarted control silo picks them up by itself.
/// </summary>
public sealed partial class DispatcherGrain(IResultStore store, TimeProvider time, ILogger<DispatcherGrain> logger)
    : Grain, IDispatcherGrain
{
    private readonly List<string> running = [];
    private readonly Dictionary<string, WorkerSeen> workers = [];
    private int next;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ActivationTurn.LeaveActivationLockAsync();

        // Sweeps the store says were running start again on their first lease request
        // (SweepGrain.LeaseAsync loads itself), so nothing here waits on another grain.
        foreach (var sweep in await store.ListSweepsAsync(cancellationToken))
        {
            if (sweep.Status == SweepStatus.Running)
            {
                await AddSweepAsync(sweep.Id);
            }
        }

        LogActivated(logger, running.Count);
        await base.OnActivateAsync(cancellationToken);
    }

    public Task AddSweepAsync(string sweepId)
    {
        if (!running.Contains(sweepId))
        {
            running.Add(sweepId);
        }

        return Task.CompletedTask;
    }

    public Task RemoveSweepAsync(string sweepId)
    {
        running.Remove(sweepId);
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
            lease = await GrainFactory.GetGrain<ISweepGrain>(sweepId).LeaseAsync(worker, maxTrials);
        }

        next = candidates.Length == 0 ? 0 : (next + 1) % candidates.Length;
        leased += lease?.Trials.Length ?? 0;
        var busy = Math.Min(worker.Slots, worker.BusySlots + (lease is null ? 0 : 1));
        workers[worker.WorkerId] = new WorkerSeen(worker, time.GetUtcNow(), leased, busy);
        return lease;
    }

    public Task<ImmutableArray<WorkerSeen>> GetWorkersAsync() => Task.FromResult(workers.Values.ToImmutableArray());

    public Task<ImmutableArray<string>> GetRunningSweepsAsync() => Task.FromResult(running.ToImmutableArray());

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Dispatcher active with {Count} running sweep(s) from the store.")]
    private static partial void LogActivated(ILogger logger, int count);
}
