using System.Globalization;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;
using GradDescent.Silo.Progress;
using GradDescent.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary>
/// Local mode: one process with a localhost silo, the control plane and a worker, running one sweep
/// to the end (or until Ctrl-C, after which <c>graddescent resume</c> continues it).
/// </summary>
public static class LocalSweepSession
{
    public static async Task<int> RunAsync(
        IReadOnlyDictionary<string, string?> overrides, IResultStore store, string sweepId, SessionOutput output, CancellationToken cancellationToken)
    {
        var builder = GradDescentHosting.CreateBuilder(overrides, output.Verbose ? LogLevel.Information : LogLevel.Warning);
        builder.AddLocalSilo(store).AddWorker();
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var sweep = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepGrain>(sweepId);
            await sweep.StartAsync();
            var watcher = new SweepWatcher(sweep.GetSnapshotAsync, TimeProvider.System, output.Json);
            SweepSnapshot final;
            try
            {
                final = await watcher.WatchAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync(
                    $"interrupted: stored trials are kept; continue with: graddescent resume {sweepId}{output.DbHint}");
                return ExitCodes.Interrupted;
            }

            await output.FinishAsync(final, store, cancellationToken);
            return final.State == SweepStatus.Completed ? ExitCodes.Success : ExitCodes.Failure;
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token);
        }
    }
}

/// <summary>How a sweep-running command reports: JSON or text, and what it does at the end.</summary>
public sealed class SessionOutput(bool json, bool verbose, string dbHint, Func<SweepSnapshot, CancellationToken, Task<string?>>? report)
{
    public bool Json { get; } = json;

    public bool Verbose { get; } = verbose;

    /// <summary>The <c>--db</c> argument to repeat in follow-up commands, or empty.</summary>
    public string DbHint { get; } = dbHint;

    public async Task FinishAsync(SweepSnapshot final, IResultStore store, CancellationToken cancellationToken)
    {
        var reportPath = report is not null && final.State == SweepStatus.Completed ? await report(final, cancellationToken) : null;
        var elapsed = DateTimeOffset.UtcNow - final.RunStartedAt;
        var rate = elapsed.TotalSeconds > 0 ? final.StoredThisRun / elapsed.TotalSeconds : 0;
        if (Json)
        {
            Console.Out.WriteLine(new JsonObject
            {
                ["event"] = "finished",
                ["sweep"] = final.SweepId,
                ["state"] = final.State.ToString().ToLowerInvariant(),
                ["total"] = final.Total,
                ["completed"] = final.Completed,
                ["diverged"] = final.Diverged,
                ["failed"] = final.Failed,
                ["best"] = final.Best,
                ["best_parameters"] = final.BestParameters,
                ["seconds"] = Math.Round(elapsed.TotalSeconds, 3),
                ["trials_per_second"] = Math.Round(rate, 1),
                ["database"] = store.Provider.ToString().ToLowerInvariant(),
                ["report"] = reportPath,
            }.ToJsonString());
            return;
        }

        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"sweep {final.SweepId} {final.State.ToString().ToLowerInvariant()}: {final.Completed} completed, {final.Diverged} diverged, {final.Failed} failed of {final.Total} in {elapsed.TotalSeconds:F1} s ({rate:F0} trials/s)"));
        if (final.Best is { } best)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: {best:G6} at {final.BestParameters}"));
        }

        Console.Out.WriteLine($"results: graddescent results {final.SweepId}{DbHint}   (--csv for every trial)");
        if (reportPath is not null)
        {
            Console.Out.WriteLine($"report:  {reportPath}");
        }
    }
}
