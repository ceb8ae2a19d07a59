using System.CommandLine;
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
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary>
/// Local mode: one process with a localhost silo, the control plane and a worker, running one sweep
/// to the end (or until Ctrl-C, after which <c>graddescent resume</c> continues it).
/// </summary>
public sealed class LocalSweepSession(IHost host, IGrainFactory grains, IResultStore store, SessionSettings settings, TimeProvider time)
{
    /// <summary>
    /// Runs <typeparamref name="THandler"/> in a local-mode host: telemetry (off unless --metrics-port), store,
    /// silo, control plane and worker, with the command's <paramref name="input"/>.
    /// </summary>
    public static Task<int> RunHandlerAsync<THandler, TInput>(ParseResult parse, TInput input, SessionSettings settings, CancellationToken cancellationToken)
        where THandler : class, ICommandHandler
        where TInput : class
    {
        ArgumentNullException.ThrowIfNull(settings);
        return CliHost.RunAsync<THandler>(
            parse,
            builder =>
            {
                AddServices(builder, settings);
                builder.Services.AddSingleton(input);
            },
            cancellationToken,
            settings.Verbose ? LogLevel.Information : LogLevel.Warning);
    }

    private static void AddServices(IHostApplicationBuilder builder, SessionSettings settings)
    {
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
