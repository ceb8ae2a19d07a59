using System.Globalization;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Hosting.Logging;
using GradDescent.Reports;
using GradDescent.Storage;

namespace GradDescent.Silo.Commands;

/// <summary>How a sweep-running command (run, resume, submit --wait) reports its end: JSON or text, and the report.</summary>
public sealed class SessionOutput(SessionSettings settings, IResultStore store, TimeProvider time)
{
    public bool Json => settings.Json;

    /// <summary>
    /// The <c>--db</c> argument to repeat in follow-up commands, or empty; a password in it is shown as
    /// <c>***</c> (<see cref="ConnectionStringRedaction"/>): the hint names the database, never the secret.
    /// </summary>
    public string DbHint
    {
        get
        {
            if (settings.Database is not { } given)
            {
                return string.Empty;
            }

            var db = ConnectionStringRedaction.Redact(given);
            return db.AsSpan().IndexOfAny(" ;") >= 0 ? $" --db \"{db}\"" : $" --db {db}";
        }
    }

    public async Task FinishAsync(SweepSnapshot final, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(final);

        // Time the sweep itself: the report is written afterwards.
        var elapsed = time.GetUtcNow() - final.RunStartedAt;
        var rate = elapsed.TotalSeconds > 0 ? final.StoredThisRun / elapsed.TotalSeconds : 0;
        var reportPath = settings.Report && final.State == SweepStatus.Completed ? await WriteReportAsync(final, cancellationToken) : null;
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
                ["pruned"] = final.Pruned,
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
            $"sweep {final.SweepId} {final.State.ToString().ToLowerInvariant()}: {final.Completed} completed, {final.Diverged} diverged, {final.Failed} failed{(final.Pruned > 0 ? $", {final.Pruned} pruned" : string.Empty)} of {final.Total} in {elapsed.TotalSeconds:F1} s ({rate:F0} trials/s)"));
        if (final.Best is { } best)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: {best:G6}{(final.BestParameters is { } parameters ? $" at {parameters}" : string.Empty)}"));
        }

        Console.Out.WriteLine($"results: graddescent results {final.SweepId}{DbHint}   (--csv for every trial)");
        if (reportPath is not null)
        {
            Console.Out.WriteLine($"report:  {reportPath}");
        }
    }

    /// <summary>The end-of-sweep report into --out or reports/&lt;sweep-id&gt;; a failure is a warning, not the sweep's.</summary>
    private async Task<string?> WriteReportAsync(SweepSnapshot final, CancellationToken cancellationToken)
    {
        try
        {
            var sweeps = await SweepReportWriter.ResolveAsync(store, [final.SweepId], cancellationToken);
            var folder = await SweepReportWriter.WriteAsync(
                store, sweeps, settings.ReportFolder ?? SweepReportWriter.DefaultFolder(final.SweepId), time, cancellationToken);
            return Path.Combine(folder, "index.html");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"warning: the report could not be written ({e.GetType().Name}: {e.Message}); retry with: graddescent report {final.SweepId}");
            return null;
        }
    }
}
