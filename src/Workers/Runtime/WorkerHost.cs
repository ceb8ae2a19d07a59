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
/// (an Orleans client) and inside the local-mode process alike.
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
    private readonly ResiliencePipeline controlPlane = WorkerResilience.ControlPlaneCalls(logger, time, connection);
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
        var loops = Enumerable.Range(0, settings.Slots).Select(_ => Task.Run(() => LoopAsync(worker, device, stoppingToken), stoppingToken));
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogStopped(logger, worker.WorkerId);
        }
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
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var computing = new CancellationTokenSource();
        var heartbeats = HeartbeatAsync(sweep, lease, leaseLost, computing.Token);
        BatchOutput output;
        try
        {
            output = await Task.Run(
                () => executor.Execute(lease.Trials, lease.Stopping, device, worker.WorkerId, options.Value.MaxFusedTrials, leaseLost.Token),
                leaseLost.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            LogLeaseLost(logger, lease.LeaseId, lease.SweepId);
            return;
        }
        finally
        {
            await computing.CancelAsync();
            await heartbeats;
        }

        var accepted = await CallAsync(
            async ct => await sweep.CompleteAsync(new LeaseCompletion(lease.LeaseId, worker.WorkerId, output.Results, output.Failures)).WaitAsync(ct),
            stoppingToken);
        telemetry.BatchDone(lease.Trials.IsEmpty ? string.Empty : lease.Trials[0].Experiment, lease.Trials.Length);
        if (!accepted)
        {
            LogLeaseLost(logger, lease.LeaseId, lease.SweepId);
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

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Lease {LeaseId} of sweep {SweepId} expired before its results arrived; they were discarded.")]
    private static partial void LogLeaseLost(ILogger logger, Guid leaseId, string sweepId);
}
