using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Grains.Dispatch;
using GradDescent.Grains.Telemetry;
using GradDescent.Storage;
using GradDescent.Storage.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Grains.Sweeps;

/// <summary>
/// One sweep's control plane (leases, heartbeats and completions in SweepGrain.Completions.cs). The result store is the source of truth: on activation the grain
/// re-reads the spec text and the stored trial indexes, so a restarted silo resumes exactly where the
/// store says, and no trial is run again once stored.
/// </summary>
public sealed partial class SweepGrain(
    IResultStore store,
    TimeProvider time,
    IOptions<SweepOptions> options,
    GrainsTelemetry telemetry,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain
{
    private SweepRecord? sweep;
    private SweepRun? run;
    private SweepStatus state = SweepStatus.Pending;
    private string? error;
    private DateTimeOffset runStartedAt;
    private int batchLimit = 1;
    private LeaseSizer? sizer;
    private Task? loading;
    private bool finishing;
    private DateTimeOffset storeDownUntil;
    private readonly CompletionLedger completions = new();
    private SweepRoute? route;

    private string SweepId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ActivationTurn.LeaveActivationLockAsync();
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<SweepSnapshot> StartAsync()
    {
        // Orleans 10.4 runs the synchronous start of a call while holding this activation's lock, and delivers a local
        // call by taking the target's lock. When this sweep is already loaded (a resumed sweep stored as running, which
        // the dispatcher leases from at once), the call to the dispatcher below would be made under that lock while the
        // dispatcher, under its own, calls LeaseAsync here: both threads block forever. Continue outside that turn.
        await Task.Yield();
        await LoadAsync();
        if (state != SweepStatus.Completed && state != SweepStatus.Running)
        {
            await SetStateAsync(SweepStatus.Running, null);
        }

        if (state == SweepStatus.Running)
        {
            await ActivateRunAsync();
        }

        return Snapshot();
    }

    public async Task<TrialLease?> LeaseAsync(WorkerInfo worker, int maxTrials)
    {
        if (run is null && sweep is null)
        {
            // First request after a silo restart: the dispatcher knew this sweep from the store as running.
            await LoadAsync();
            if (state == SweepStatus.Running)
            {
                await ActivateRunAsync();
            }
        }

        if (run is null || state != SweepStatus.Running)
        {
            return null;
        }

        if (!await PrepareTrialsAsync() || state != SweepStatus.Running)
        {
            return null;
        }

        var now = time.GetUtcNow();
        ReclaimExpiredLeases(now);

        var settings = options.Value;
        if (now < storeDownUntil || completions.Stalled(now, settings.StoreStallAfter))
        {
            // Trials computed now could not be stored: the worker backs off and asks again.
            ReportProgress();
            throw new StoreUnavailableException("the result store is unavailable; ask for work again later");
        }

        var limit = run.FairBatch(worker.WorkerId, now, now - settings.LeaseDuration, settings.MinBatchTrials, Math.Clamp(maxTrials, 1, batchLimit));
        var lease = run.Open(worker, limit, now + options.Value.LeaseDuration, sizer?.Budget(worker.Device));
        if (lease is null)
        {
            if (run.IsDone)
            {
                await FinishAsync();
            }

            ReportProgress();
            return null;
        }

        telemetry.LeaseGranted();
        NoteWorkerContact();
        ReportProgress();
        return new TrialLease(lease.Id, SweepId, lease.Deadline, options.Value.LeaseDuration / 3, lease.Trials, run.Source.StoppingPlanFor(lease.Group), lease.Token);
    }

    public async Task<SweepSnapshot> CancelAsync()
    {
        if (sweep is null)
        {
            sweep = await store.GetSweepAsync(SweepId, CancellationToken.None)
                ?? throw new KeyNotFoundException($"no sweep '{SweepId}' is stored");
            state = sweep.Status;
        }

        if (state is SweepStatus.Pending or SweepStatus.Running or SweepStatus.Paused)
        {
            await SetStateAsync(SweepStatus.Cancelled, null);
            await GrainFactory.GetGrain<IDispatcherGrain>(0).RemoveSweepAsync(SweepId);
        }

        ReportProgress();
        return Snapshot();
    }

    public async Task<SweepSnapshot> PauseAsync()
    {
        await LoadAsync();
        if (state == SweepStatus.Running)
        {
            await SetStateAsync(SweepStatus.Paused, null);
            await GrainFactory.GetGrain<IDispatcherGrain>(0).RemoveSweepAsync(SweepId);
            LogPaused(logger, SweepId, run?.InFlight ?? 0);
        }

        // A paused sweep is not active: its series go now (not at the next completion, which may never come), so
        // neither the stall alert nor the autoscaler counts trials nobody is meant to run. Resume reports them again.
        ReportProgress();

        return Snapshot();
    }

    public async Task<SweepSnapshot> ResumeAsync()
    {
        await LoadAsync();
        if (state == SweepStatus.Paused)
        {
            await SetStateAsync(SweepStatus.Running, null);
            await ActivateRunAsync();
        }

        return Snapshot();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        telemetry.RemoveSweep(SweepId);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task<SweepSnapshot> GetSnapshotAsync() => Task.FromResult(Snapshot());

    /// <summary>Reads the sweep and its stored trials once per activation, however many calls interleave here.</summary>
    private async Task LoadAsync()
    {
        loading ??= LoadCoreAsync();
        try
        {
            await loading;
        }
        catch
        {
            loading = null;
            throw;
        }
    }

    private async Task LoadCoreAsync()
    {
        sweep = await store.GetSweepAsync(SweepId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"no sweep '{SweepId}' is stored");
        state = sweep.Status;
        // A running sweep's stored error column holds why it waits for a worker (SweepGrain.Placement.cs), not an error.
        error = state == SweepStatus.Running ? null : sweep.Error;
        storedWaiting = state == SweepStatus.Running ? sweep.Error : null;
        runStartedAt = time.GetUtcNow();

        var spec = StoredSweepSpec.Parse(sweep, options.Value);
        route = SweepRoutes.Of(spec);
        var experiment = ExperimentCatalog.Get(spec.Experiment);
        var maxAttempts = spec.MaxAttempts;
        batchLimit = Math.Min(spec.BatchSize ?? options.Value.MaxBatchTrials, options.Value.MaxBatchTrials);

        // A spec's batch_size fixes the lease size; without one, leases are sized to take about TargetBatchTime.
        sizer = spec.BatchSize is null ? new LeaseSizer(experiment, options.Value.TargetBatchTime, options.Value.MinBatchTrials) : null;
        var source = await TrialSources.OpenAsync(store, SweepId, spec, CancellationToken.None);
        var stored = new TrialBitSet(source.Total);
        foreach (var index in await store.GetStoredTrialIndexesAsync(SweepId, CancellationToken.None))
        {
            stored.Add(index);
        }

        var progress = await store.GetProgressAsync(SweepId, CancellationToken.None);
        run = new SweepRun(SweepId, experiment, source, maxAttempts, stored, progress);
    }

    /// <summary>
    /// Lets the trial source propose what the stored results made ready (a search's next generation). A search that
    /// cannot propose fails the sweep with the reason rather than leaving its workers asking forever.
    /// </summary>
    /// <returns>False when the sweep failed.</returns>
    private async Task<bool> PrepareTrialsAsync()
    {
        try
        {
            await run!.Source.PrepareAsync();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSearchFailed(logger, ex, SweepId);
            if (state == SweepStatus.Running)
            {
                await SetStateAsync(SweepStatus.Failed, $"the search could not propose trials: {ex.GetType().Name}: {ex.Message}");
                await GrainFactory.GetGrain<IDispatcherGrain>(0).RemoveSweepAsync(SweepId);
                ReportProgress();
            }

            return false;
        }
    }

    /// <summary>Registers a running sweep with the dispatcher, or finishes it when every trial is stored.</summary>
    private async Task ActivateRunAsync()
    {
        if (run!.IsDone)
        {
            await FinishAsync();
            return;
        }

        LogStarting(logger, SweepId, run.Total, run.Total - run.Stored);
        await GrainFactory.GetGrain<IDispatcherGrain>(0).AddSweepAsync(SweepId, route ?? SweepRoute.Anywhere);
        ReportProgress();
    }

    /// <summary>Publishes this sweep's counts to the gauges while it runs; removes them once it does not.</summary>
    private void ReportProgress()
    {
        if (run is not null && state == SweepStatus.Running)
        {
            telemetry.ReportSweep(SweepId, run.Unleased, run.InFlight, run.Total, run.Stored);
        }
        else
        {
            telemetry.RemoveSweep(SweepId);
        }
    }

    private async Task FinishAsync()
    {
        if (finishing || state == SweepStatus.Completed)
        {
            return;
        }

        finishing = true;
        try
        {
            await SetStateAsync(SweepStatus.Completed, null);
        }
        finally
        {
            finishing = false;
        }

        await GrainFactory.GetGrain<IDispatcherGrain>(0).RemoveSweepAsync(SweepId);
        LogCompleted(logger, SweepId, run?.Completed ?? 0, run?.Diverged ?? 0, run?.Failed ?? 0, run?.Pruned ?? 0);
    }

    private async Task SetStateAsync(SweepStatus next, string? message)
    {
        await store.SetSweepStatusAsync(SweepId, next, message, CancellationToken.None);
        state = next;
        error = message;

        // The status write replaced the stored waiting note.
        waiting = null;
        storedWaiting = null;
    }

    private SweepSnapshot Snapshot() => new()
    {
        SweepId = SweepId,
        Name = sweep?.Name ?? string.Empty,
        Experiment = sweep?.Experiment ?? string.Empty,
        State = state,
        Total = run?.Total ?? sweep?.TotalTrials ?? 0,
        Completed = run?.Completed ?? 0,
        Diverged = run?.Diverged ?? 0,
        Failed = run?.Failed ?? 0,
        Pruned = run?.Pruned ?? 0,
        InFlight = run?.InFlight ?? 0,
        Best = run?.Best,
        BestParameters = run?.BestParameters,
        StoredThisRun = run?.StoredThisRun ?? 0,
        RunStartedAt = runStartedAt,
        Error = error,
        Waiting = waiting?.Text,
    };

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Sweep {SweepId}: {Total} trials, {Remaining} to run.")]
    private static partial void LogStarting(ILogger logger, string sweepId, long total, long remaining);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Sweep {SweepId}: lease {LeaseId} of worker {WorkerId} expired; its {Count} trial(s) go to other workers.")]
    private static partial void LogLeaseExpired(ILogger logger, string sweepId, Guid leaseId, string workerId, int count);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Sweep {SweepId} completed: {Completed} completed, {Diverged} diverged, {Failed} failed, {Pruned} pruned.")]
    private static partial void LogCompleted(ILogger logger, string sweepId, long completed, long diverged, long failed, long pruned);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Error, Message = "Sweep {SweepId}: the search could not propose trials; the sweep failed.")]
    private static partial void LogSearchFailed(ILogger logger, Exception exception, string sweepId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Sweep {SweepId} paused; {InFlight} leased trial(s) still finish.")]
    private static partial void LogPaused(ILogger logger, string sweepId, long inFlight);
}
