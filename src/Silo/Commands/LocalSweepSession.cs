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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GradDescent.Silo.Commands;

/// <summary>
/// Local mode: one process with a localhost silo, the control plane and a worker, running one sweep
/// to the end (or until Ctrl-C, after which <c>graddescent resume</c> continues it).
/// </summary>
public sealed class LocalSweepSession(IHost host, IGrainFactory grains, IResultStore store, SessionSettings settings, TimeProvider time)
{
    /// <summary>What a local-mode host holds: telemetry (off unless --metrics-port), store, silo, control plane, worker.</summary>
    public static void AddServices(IHostApplicationBuilder builder, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddGradDescentTelemetry();
        builder.Services.AddGradDescentStorage().AddGradDescentStoreSchemaAtStart();
        builder.AddGradDescentLocalSilo();
        builder.Services.AddGradDescentControlPlane();
        builder.Services.AddGradDescentWorker();
        builder.Services.AddSingleton(settings).AddSingleton<LocalSweepSession>();
    }

    /// <summary>Runs a stored sweep in the started host, then stops the host.</summary>
    public async Task<int> RunAsync(string sweepId, CancellationToken cancellationToken)
    {
        try
        {
            var sweep = grains.GetGrain<ISweepGrain>(sweepId);
            await sweep.StartAsync();
            var output = new SessionOutput(settings, store, time);
            SweepSnapshot final;
            try
            {
                final = await new SweepWatcher(sweep.GetSnapshotAsync, time, settings.Json).WatchAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync(
                    $"interrupted: stored trials are kept; continue with: graddescent resume {sweepId}{output.DbHint}");
                return ExitCodes.Interrupted;
            }

            await output.FinishAsync(final, cancellationToken);
            return final.State == SweepStatus.Completed ? ExitCodes.Success : ExitCodes.Failure;
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token);
        }
    }
}
