using System.Text.Json.Nodes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using Spectre.Console;

namespace GradDescent.Silo.Progress;

/// <summary>
/// Follows a sweep until it finishes: a live progress bar on a terminal; plain lines (JSON lines with
/// <c>--json</c>) when output is redirected. Refreshes on an interval; the sweep grain is the source.
/// </summary>
public sealed class SweepWatcher(Func<Task<SweepSnapshot>> poll, TimeProvider time, bool json)
{
    private static readonly TimeSpan BarRefresh = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LineRefresh = TimeSpan.FromSeconds(2);

    public async Task<SweepSnapshot> WatchAsync(CancellationToken cancellationToken)
    {
        var first = await poll();
        var metric = ExperimentCatalog.Find(first.Experiment)?.PrimaryMetric ?? "metric";
        var live = !json && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        return live ? await WatchLiveAsync(first, metric, cancellationToken) : await WatchLinesAsync(first, metric, cancellationToken);
    }

    private async Task<SweepSnapshot> WatchLiveAsync(SweepSnapshot first, string metric, CancellationToken cancellationToken)
    {
        var last = first;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(first.Name, maxValue: Math.Max(1, first.Total));
                using var timer = new PeriodicTimer(BarRefresh, time);
                while (true)
                {
                    var line = ProgressLine.From(last, time.GetUtcNow());
                    task.Value = last.Done;
                    task.Description = Markup.Escape(
                        $"{last.Name}{Paused(last)}  {line.Done}/{line.Total}  failed {line.Failed}  diverged {line.Diverged}  {line.TrialsPerSecond:F0}/s  best {metric} {ProgressLine.FormatBest(line.Best)}");
                    if (last.IsFinished)
                    {
                        task.StopTask();
                        return;
                    }

                    await timer.WaitForNextTickAsync(cancellationToken);
                    last = await poll();
                }
            });
        return last;
    }

    private async Task<SweepSnapshot> WatchLinesAsync(SweepSnapshot first, string metric, CancellationToken cancellationToken)
    {
        var last = first;
        using var timer = new PeriodicTimer(LineRefresh, time);
        while (true)
        {
            var line = ProgressLine.From(last, time.GetUtcNow());
            Console.Out.WriteLine(json ? JsonLine(last, line) : $"{last.SweepId}:{Paused(last)} {line.Describe(metric)}");
            if (last.IsFinished)
            {
                return last;
            }

            await timer.WaitForNextTickAsync(cancellationToken);
            last = await poll();
        }
    }

    /// <summary>Says so while the sweep is paused (graddescent pause, or the dashboard): its count stands still on purpose.</summary>
    private static string Paused(SweepSnapshot snapshot) => snapshot.State == SweepStatus.Paused ? " paused," : string.Empty;

    private static string JsonLine(SweepSnapshot snapshot, ProgressLine line) => new JsonObject
    {
        ["event"] = "progress",
        ["sweep"] = snapshot.SweepId,
        ["state"] = snapshot.State.ToString().ToLowerInvariant(),
        ["done"] = line.Done,
        ["total"] = line.Total,
        ["failed"] = line.Failed,
        ["diverged"] = line.Diverged,
        ["trials_per_second"] = Math.Round(line.TrialsPerSecond, 1),
        ["eta_seconds"] = line.Eta is { } eta ? Math.Round(eta.TotalSeconds, 1) : null,
        ["best"] = line.Best,
    }.ToJsonString();
}
