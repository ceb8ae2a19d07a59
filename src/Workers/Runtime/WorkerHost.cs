using GradDescent.Abstractions.Grains;
using GradDescent.Workers.Devices;
using GradDescent.Workers.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using TorchSharp;

namespace GradDescent.Workers.Runtime;

/// <summary>
/// The worker side of the worker-pull contract: ask the dispatcher for a lease, compute it off the
/// Orleans scheduler while heartbeating, send the results back, repeat. Runs in the worker process
/// (an Orleans client) and inside the local-mode process alike. On stop (SIGTERM) it leases nothing more, lets
/// the batches it computes run for <see cref="WorkerOptions.DrainTimeout"/> and reports them, and hands back
/// those still running then (an empty completion: the sweep requeues every trial of the lease at once).
/// </summary>
public sealed partial class WorkerHost(
    IGrainFactory grains,
    TrialExecutor executor,
    IOptions<WorkerOptions> options,
    WorkerTelemetry telemetry,
    ControlPlaneConnection connection,
    TimeProvider time,
    ILogger<WorkerHost> logger) : BackgroundService
{
    /// <summary>How long the last calls on stop (a drained batch's results, a hand-back) may take.</summary>
    public static readonly TimeSpan HandBackTimeout = TimeSpan.FromSeconds(10);

    private readonly ResiliencePipeline controlPlane = WorkerResilience.ControlPlaneCalls(logger, time, connection);
    private readonly CancellationTokenSource draining = new(Timeout.InfiniteTimeSpan, time);
    private int busySlots;
    private long batchesDone;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        TorchRuntime.Configure(settings.TorchThreads);

        var device = TorchDevices.Resolve(settings.Device, logger);
        var worker = new WorkerInfo(settings.ResolveWorkerId(), TorchDevices.Describe(device), settings.Slots, Environment.MachineName, settings.Pool);
        telemetry.Started(worker);
        LogStarted(logger, worker.WorkerId, worker.Device, worker.Slots, worker.Pool);
        await using var drain = stoppingToken.Register(() => draining.CancelAfter(settings.DrainTimeout));
        var loops = Enumerable.Range(0, settings.Slots).Select(_ => Task.Run(() => LoopAsync(worker, device, stoppingToken), CancellationToken.None));
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        LogStopped(logger, worker.WorkerId);
    }

    public override void Dispose()
    {
        draining.Dispose();
        base.Dispose();
    }

    private async Task LoopAsync(WorkerInfo worker, torch.Device device, CancellationToken stoppingToken)
    {
        var dispatcher = grains.GetGrain<IDispatcherGrain>(0);
        while (!stoppingToken.IsCancellationRequested)
        {
            // The dispatcher shows operators how busy each worker is (dashboard's workers page).
            var report = worker with { BusySlots = Volatile.Read(ref busySlots), BatchesDone = Interlocked.Read(ref batchesDone) };
            var lease = await CallAsync(async ct => await dispatcher.LeaseAsync(report, options.Value.MaxBatchTrials).WaitAsync(ct), stoppingToken);
            if (lease is null)
            {
                await Task.Delay(options.Value.IdlePollInterval, time, stoppingToken);
                continue;
            }

            Interlocked.Increment(ref busySlots);
            telemetry.SlotBusy();
            try
            {
                await RunLeaseAsync(worker, device, lease, stoppingToken);
            }
            finally
            {
                telemetry.SlotIdle();
                Interlocked.Decrement(ref busySlots);
                Interlocked.Increment(ref batchesDone);
            }
        }
    }

    private async Task RunLeaseAsync(WorkerInfo worker, torch.Device device, TrialLease lease, CancellationToken stoppingToken)
    {
        var sweep = grains.GetGrain<ISweepGrain>(lease.SweepId);
        // Computing stops when the lease is lost or the drain after a stop request ends, not at the stop request itself.
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(draining.Token);
        using var computing = new CancellationTokenSource();
        var heartbeats = HeartbeatAsync(sweep, lease, leaseLost, computing.Token);
        BatchOutput output;
        try
        {
            output = await Task.Run(
                () => executor.Execute(lease.Trials, lease.Stopping, device, worker.WorkerId, options.Value.MaxFusedTrials, leaseLost.Token),
                leaseLost.Token);
        }
        catch (OperationCanceledException) when (draining.IsCancellationRequested)
        {
            await computing.CancelAsync();
            await heartbeats;
            await HandBackAsync(sweep, worker, lease);
            return;
        }
        catch (OperationCanceledException)
        {
            LogLeaseLost(logger, lease.LeaseId, lease.SweepId);
            return;
        }
        finally
        {
            await computing.CancelAsync();
            await heartbeats;
        }

        // After a stop request the results still go back (within the hand-back timeout), so the drain was worth it.
        using var reporting = stoppingToken.IsCancellationRequested ? new CancellationTokenSource(HandBackTimeout, time) : null;
        var accepted = await CallAsync(
            async ct => await sweep.CompleteAsync(new LeaseCompletion(lease.LeaseId, worker.WorkerId, output.Results, output.Failures)).WaitAsync(ct),
            reporting?.Token ?? stoppingToken);
        telemetry.BatchDone(lease.Trials.IsEmpty ? string.Empty : lease.Trials[0].Experiment, lease.Trials.Length);
        if (!accepted)
        {
            LogLeaseLost(logger, lease.LeaseId, lease.SweepId);
        }
    }

    /// <summary>
    /// Returns a lease the drain cut short: a completion without results, so the sweep requeues all its trials now
    /// instead of at the lease's deadline. When the silo does not answer in time, the lease expires as usual.
    /// </summary>
    private async Task HandBackAsync(ISweepGrain sweep, WorkerInfo worker, TrialLease lease)
    {
        using var timeout = new CancellationTokenSource(HandBackTimeout, time);
        try
        {
            await CallAsync(async ct => await sweep.CompleteAsync(new LeaseCompletion(lease.LeaseId, worker.WorkerId, [], [])).WaitAsync(ct), timeout.Token);
            LogHandedBack(logger, lease.LeaseId, lease.SweepId, lease.Trials.Length);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogHandBackFailed(logger, ex, lease.LeaseId, lease.SweepId);
        }
    }

    /// <summary>Extends the lease every interval until computing stops; cancels the work when the lease is gone.</summary>
    private async Task HeartbeatAsync(ISweepGrain sweep, TrialLease lease, CancellationTokenSource leaseLost, CancellationToken computing)
    {
        using var timer = new PeriodicTimer(lease.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(computing))
            {
                var alive = await CallAsync(async ct => await sweep.HeartbeatAsync(lease.LeaseId).WaitAsync(ct), computing);
                if (!alive)
                {
                    await leaseLost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (computing.IsCancellationRequested)
        {
            // Computation finished: heartbeats are no longer needed.
        }
    }

    /// <summary>One control-plane call through the retry pipeline; an answer marks the worker connected.</summary>
    private async Task<T> CallAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        var answer = await controlPlane.ExecuteAsync(call, cancellationToken);
        connection.Answered();
        return answer;
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Worker {WorkerId} started on {Device} with {Slots} slot(s) in pool {Pool}.")]
    private static partial void LogStarted(ILogger logger, string workerId, string device, int slots, string pool);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Worker {WorkerId} stopped.")]
    private static partial void LogStopped(ILogger logger, string workerId);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Stopping: lease {LeaseId} of sweep {SweepId} handed back unfinished; its {Count} trial(s) go to other workers now.")]
    private static partial void LogHandedBack(ILogger logger, Guid leaseId, string sweepId, int count);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Stopping: lease {LeaseId} of sweep {SweepId} could not be handed back; its trials return when it expires.")]
    private static partial void LogHandBackFailed(ILogger logger, Exception exception, Guid leaseId, string sweepId);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Lease {LeaseId} of sweep {SweepId} expired before its results arrived; they were discarded.")]
    private static partial void LogLeaseLost(ILogger logger, Guid leaseId, string sweepId);
}
