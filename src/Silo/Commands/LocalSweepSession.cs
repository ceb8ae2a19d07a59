using System.CommandLine;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Grains.Extensions;
using GradDescent.Hosting.Orleans;
using GradDescent.Hosting.Telemetry;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Progress;
using GradDescent.Storage;
using GradDescent.Storage.Extensions;
using GradDescent.Workers.Extensions;
using GradDescent.Workers.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary>
/// Local mode: one process with a localhost silo, the control plane and a worker, running one sweep to the end. While
/// it runs, a <see cref="LocalSessionMonitor"/> writes its heartbeat and applies a <c>graddescent cancel</c> from
/// elsewhere within a second (exit code 3). Ctrl-C stops it (exit code 130) and <c>graddescent resume</c> continues.
/// </summary>
public sealed class LocalSweepSession(
    IHost host, IGrainFactory grains, IResultStore store, SessionSettings settings, TimeProvider time)
{
    /// <summary>
    /// Runs <typeparamref name="THandler"/> in a local-mode host: telemetry (off unless --metrics-port), store,
    /// silo, control plane, file gate over <paramref name="roots"/> and worker, with the command's <paramref name="input"/>.
    /// </summary>
    public static Task<int> RunHandlerAsync<THandler, TInput>(
        ParseResult parse, TInput input, SessionSettings settings, LocalFileRoots roots, CancellationToken cancellationToken)
        where THandler : class, ICommandHandler
        where TInput : class
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(roots);
        return CliHost.RunAsync<THandler>(
            parse,
            builder =>
            {
                AddServices(builder, settings, roots);
                builder.Services.AddSingleton(input);
            },
            cancellationToken,
            settings.Verbose ? LogLevel.Information : LogLevel.Warning);
    }

    private static void AddServices(IHostApplicationBuilder builder, SessionSettings settings, LocalFileRoots roots)
    {
        builder.AddGradDescentTelemetry();
        builder.Services.AddGradDescentStorage().AddGradDescentStoreSchemaAtStart();
        builder.AddGradDescentLocalSilo();
        builder.Services.AddGradDescentControlPlane(localWorkerOnly: true).AddGradDescentSweepStatusTelemetry();
        roots.AddTo(builder.Services);
        builder.Services.AddGradDescentWorker();
        builder.Services.AddSingleton(settings).AddSingleton<LocalSweepSession>();
        SweepControl.AddTo(builder.Services);
    }

    /// <summary>Runs a stored sweep in the started host, then stops the host.</summary>
    public async Task<int> RunAsync(string sweepId, CancellationToken cancellationToken)
    {
        var session = LocalSessionProcess.Current;
        try
        {
            await store.SetSweepHeartbeatAsync(sweepId, session, cancellationToken);
            var sweep = grains.GetGrain<ISweepGrain>(sweepId);
            await sweep.StartAsync();
            var output = new SessionOutput(settings, store, time);
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var worker = WorkerLoop();
            using var monitorStop = new CancellationTokenSource();
            var monitor = new LocalSessionMonitor(store, sweep, sweepId, session, time, watching);
            var monitoring = monitor.RunAsync(monitorStop.Token);
            SweepSnapshot final;
            try
            {
                var watch = new SweepWatcher(sweep.GetSnapshotAsync, time, settings.Json).WatchAsync(watching.Token);
                if (await Task.WhenAny(watch, worker) == worker && !watch.IsCompleted)
                {
                    // The worker threw (the host then stops): nobody computes the trials the watch waits for.
                    await watching.CancelAsync();
                }

                final = await watch;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync(
                    $"interrupted: stored trials are kept; continue with: graddescent resume {sweepId}{output.DbHint}");
                return ExitCodes.Interrupted;
            }
            catch (OperationCanceledException) when (monitor.Stopped == LocalSessionMonitor.StopReason.Deleted)
            {
                await Console.Error.WriteLineAsync($"error: sweep {sweepId} was deleted from the result store while it ran (graddescent delete)");
                return ExitCodes.Failure;
            }
            catch (OperationCanceledException) when (monitor.Stopped == LocalSessionMonitor.StopReason.Cancelled)
            {
                final = await sweep.GetSnapshotAsync();
            }
            catch (OperationCanceledException) when (worker.IsCompleted)
            {
                var reason = worker.Exception?.GetBaseException() is { } e ? $": {CliErrors.Describe(e).Message.Replace("error: ", string.Empty, StringComparison.Ordinal)}" : string.Empty;
                await Console.Error.WriteLineAsync(
                    $"error: the local worker stopped{reason}; stored trials are kept; continue with: graddescent resume {sweepId}{output.DbHint}");
                return ExitCodes.Failure;
            }
            finally
            {
                await monitorStop.CancelAsync();
                await monitoring;
            }

            await output.FinishAsync(final, cancellationToken);
            if (final.State == SweepStatus.Cancelled)
            {
                await Console.Error.WriteLineAsync(
                    $"cancelled: sweep {sweepId} was cancelled (graddescent cancel); stored trials are kept; continue with: graddescent resume {sweepId}{output.DbHint}");
                return ExitCodes.Cancelled;
            }

            return final.State == SweepStatus.Completed ? ExitCodes.Success : ExitCodes.Failure;
        }
        finally
        {
            await EndSessionAsync(sweepId, session);
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token);
        }
    }

    /// <summary>The worker's loop: it ends while the sweep runs only when it threw.</summary>
    private Task WorkerLoop() =>
        host.Services.GetServices<IHostedService>().OfType<WorkerHost>().Single().ExecuteTask ?? Task.CompletedTask;

    /// <summary>Clears this run's heartbeat, so <c>status</c> shows an unfinished sweep as interrupted at once.</summary>
    private async Task EndSessionAsync(string sweepId, string session)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await store.ClearSweepHeartbeatAsync(sweepId, session, patience.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or StoreUnavailableException or System.Data.Common.DbException)
        {
            // The heartbeat goes stale instead: status says interrupted within SweepLiveness.StaleAfter.
        }
    }
}
