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
/// Orleans scheduler while heartbeating, send the results back, repeat; each slot computes its next batch while the
/// last one's results are being stored (one completion in flight per slot). Runs in the worker process
/// (an Orleans client) and inside the local-mode process alike. On stop (SIGTERM) it leases nothing more, lets
/// the batches it computes run for <see cref="WorkerOptions.DrainTimeout"/> and reports them, and gives back the
/// leases still running then (<see cref="ISweepGrain.ReleaseAsync"/>: the sweep requeues their trials at once);
/// those last calls must be done within <see cref="WorkerOptions.ShutdownGrace"/> after the drain.
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
    private static readonly TimeSpan RefusedLeasePause = TimeSpan.FromSeconds(5);

    private readonly ResiliencePipeline controlPlane = WorkerResilience.ControlPlaneCalls(logger, time, connection, options.Value.CallTimeout);

    // Cancelled DrainTimeout after the worker is told to stop: batches still computing then are given back.
    private readonly CancellationTokenSource draining = new();

    // Cancelled DrainTimeout + ShutdownGrace after the worker is told to stop: what it still sends (results, released
    // leases) must be done by then.
    private readonly CancellationTokenSource shutdownGrace = new();
    private int busySlots;
    private long batchesDone;

    public override void Dispose()
    {
        draining.Dispose();
        shutdownGrace.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        TorchRuntime.Configure(settings.TorchThreads);

        var device = TorchDevices.Resolve(settings.Device, logger);
        var worker = new WorkerInfo(settings.ResolveWorkerId(), TorchDevices.Describe(device), settings.Slots, Environment.MachineName, settings.Pool);
        telemetry.Started(worker);
        LogStarted(logger, worker.WorkerId, worker.Device, worker.Slots, worker.Pool);
        using var stopping = stoppingToken.Register(() =>
        {
            LogStopping(logger, worker.WorkerId, Volatile.Read(ref busySlots));
            draining.CancelAfter(settings.DrainTimeout);
            shutdownGrace.CancelAfter(settings.DrainTimeout + settings.ShutdownGrace);
        });
        var loops = Enumerable.Range(0, settings.Slots).Select(_ => Task.Run(() => LoopAsync(worker, device, stoppingToken), CancellationToken.None));
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // A slot stopped while it waited: nothing of it is left to hand back.
        }

        LogStopped(logger, worker.WorkerId);
    }

    private async Task LoopAsync(WorkerInfo worker, torch.Device device, CancellationToken stoppingToken)
    {
        var dispatcher = grains.GetGrain<IDispatcherGrain>(0);

        // The slot's one completion in flight: the slot leases and computes its next batch while the last one's results
        // are stored, and waits for that write before it sends another. At most one computed batch waits per slot, so
        // memory stays bounded, and a store outage stops the slot at its next batch (no work it could not store).
        var sending = Task.CompletedTask;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // The dispatcher shows operators how busy each worker is (dashboard's workers page).
                var report = worker with { BusySlots = Volatile.Read(ref busySlots), BatchesDone = Interlocked.Read(ref batchesDone) };
                TrialLease? lease;
                try
                {
                    lease = await CallAsync(async ct => await dispatcher.LeaseAsync(report, options.Value.MaxBatchTrials).WaitAsync(ct), stoppingToken);
                    if (lease is null)
                    {
                        await Task.Delay(options.Value.IdlePollInterval, time, stoppingToken);
                        continue;
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (ControlPlaneException e)
                {
                    // The silo answered with a failure waiting will not obviously fix (a sweep it cannot load): keep the
                    // slot alive and ask again after a pause, as operators may fix the cause.
                    LogLeaseFailed(logger, e.Message, RefusedLeasePause);
                    try
                    {
                        await Task.Delay(RefusedLeasePause, time, stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    continue;
                }

                Interlocked.Increment(ref busySlots);
                telemetry.SlotBusy();
                try
                {
                    sending = await RunLeaseAsync(worker, device, lease, sending);
                }
                finally
                {
                    telemetry.SlotIdle();
                    Interlocked.Decrement(ref busySlots);
                    Interlocked.Increment(ref batchesDone);
                }
            }
        }
        finally
        {
            // Results already computed are still sent while the worker stops, within its shutdown grace.
            await sending;
        }
    }

    /// <summary>
    /// Computes a lease while heartbeating it, then waits for <paramref name="previous"/> (the slot's last completion)
    /// with the heartbeats still running, so the new lease stays alive however long that write takes.
    /// </summary>
    /// <returns>The sending of this lease's results (already finished when there is nothing to send).</returns>
    private async Task<Task> RunLeaseAsync(WorkerInfo worker, torch.Device device, TrialLease lease, Task previous)
    {
        var sweep = grains.GetGrain<ISweepGrain>(lease.SweepId);
        // Computing stops when the lease is lost or the drain after a stop request ends, not at the stop request itself.
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(draining.Token);
        using var beating = new CancellationTokenSource();
        var heartbeats = HeartbeatAsync(sweep, lease, leaseLost, beating.Token);
        BatchOutput? output = null;
        try
        {
            output = await Task.Run(
                () => executor.Execute(lease.Trials, lease.Stopping, device, worker.WorkerId, options.Value.MaxFusedTrials, leaseLost.Token),
                leaseLost.Token);
        }
        catch (OperationCanceledException)
        {
            // The lease was lost, or the drain ended first: either way there is nothing to send (see below).
        }

        try
        {
            await previous;
        }
        finally
        {
            await beating.CancelAsync();
            await heartbeats;
        }

        if (leaseLost.IsCancellationRequested && !draining.IsCancellationRequested)
        {
            LogLeaseLost(logger, lease.LeaseId, lease.SweepId);
            return Task.CompletedTask;
        }

        if (output is null)
        {
            // The drain ended before the batch did: the lease goes back, now that its heartbeats have stopped.
            await ReleaseAsync(sweep, lease, worker);
            return Task.CompletedTask;
        }

        return SendResultsAsync(sweep, lease, worker, output);
    }

    /// <summary>Sends a lease's results (retried through outages until the shutdown grace ends); never throws for an answer.</summary>
    private async Task SendResultsAsync(ISweepGrain sweep, TrialLease lease, WorkerInfo worker, BatchOutput output)
    {
        bool accepted;
        try
        {
            accepted = await CallAsync(
                async ct => await sweep.CompleteAsync(new LeaseCompletion(lease.LeaseId, worker.WorkerId, output.Results, output.Failures, lease.Token)).WaitAsync(ct),
                shutdownGrace.Token);
        }
        catch (ControlPlaneException e)
        {
            LogResultsRefused(logger, lease.LeaseId, lease.SweepId, e.Message);
            return;
        }
        catch (OperationCanceledException) when (shutdownGrace.IsCancellationRequested)
        {
            LogResultsAbandoned(logger, lease.LeaseId, lease.SweepId, lease.Trials.Length);
            return;
        }

        telemetry.BatchDone(lease.Trials.IsEmpty ? string.Empty : lease.Trials[0].Experiment, lease.Trials.Length);
        if (!accepted)
        {
            LogLeaseLost(logger, lease.LeaseId, lease.SweepId);
        }
    }

    /// <summary>Gives an unfinished lease back on shutdown, so its trials go to another worker at once rather than after it expires.</summary>
    private async Task ReleaseAsync(ISweepGrain sweep, TrialLease lease, WorkerInfo worker)
    {
        try
        {
            var released = await CallAsync(async ct => await sweep.ReleaseAsync(lease.LeaseId, lease.Token).WaitAsync(ct), shutdownGrace.Token);
            LogReleased(logger, worker.WorkerId, lease.LeaseId, lease.SweepId, lease.Trials.Length, released);
        }
        catch (Exception e) when (e is OperationCanceledException or ControlPlaneException)
        {
            LogReleaseFailed(logger, lease.LeaseId, lease.SweepId, lease.Trials.Length);
        }
    }

    /// <summary>Extends the lease every interval until its results are about to be sent; cancels the work when the lease is gone.</summary>
    private async Task HeartbeatAsync(ISweepGrain sweep, TrialLease lease, CancellationTokenSource leaseLost, CancellationToken computing)
    {
        using var timer = new PeriodicTimer(lease.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(computing))
            {
                var alive = await CallAsync(async ct => await sweep.HeartbeatAsync(lease.LeaseId, lease.Token).WaitAsync(ct), computing);
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
        catch (ControlPlaneException)
        {
            // The silo could not answer for this lease: the work goes on, and its completion says whether it counted.
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

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Lease {LeaseId} of sweep {SweepId} expired before its results arrived; they were discarded.")]
    private static partial void LogLeaseLost(ILogger logger, Guid leaseId, string sweepId);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Worker {WorkerId} stopping: no new leases; {Busy} slot(s) give back or finish their lease.")]
    private static partial void LogStopping(ILogger logger, string workerId, int busy);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Information, Message = "Worker {WorkerId} gave back lease {LeaseId} of sweep {SweepId} ({Count} trial(s); taken back: {Released}).")]
    private static partial void LogReleased(ILogger logger, string workerId, Guid leaseId, string sweepId, int count, bool released);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Warning, Message = "Could not give back lease {LeaseId} of sweep {SweepId} before exiting; its {Count} trial(s) run again once it expires.")]
    private static partial void LogReleaseFailed(ILogger logger, Guid leaseId, string sweepId, int count);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Error, Message = "The control plane could not store the results of lease {LeaseId} of sweep {SweepId}; its trials run again: {Reason}")]
    private static partial void LogResultsRefused(ILogger logger, Guid leaseId, string sweepId, string reason);

    [LoggerMessage(EventId = 4209, Level = LogLevel.Error, Message = "The control plane failed to hand out work ({Reason}); asking again in {Pause}.")]
    private static partial void LogLeaseFailed(ILogger logger, string reason, TimeSpan pause);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Warning, Message = "Exiting before the results of lease {LeaseId} of sweep {SweepId} were stored; its {Count} trial(s) run again once it expires.")]
    private static partial void LogResultsAbandoned(ILogger logger, Guid leaseId, string sweepId, int count);
}
