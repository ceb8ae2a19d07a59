using System.Globalization;
using GradDescent.Abstractions.Grains;

namespace GradDescent.Silo.Progress;

/// <summary>The numbers a progress display shows, computed from a snapshot.</summary>
/// <param name="Pruned">Trials an early-stopping rule stopped (shown only when there are some).</param>
/// <param name="Waiting">Why the sweep waits for a worker its placement allows (shown only then).</param>
public sealed record ProgressLine(long Done, long Total, long Failed, long Diverged, double TrialsPerSecond, TimeSpan? Eta, double? Best, long Pruned = 0, string? Waiting = null)
{
    public static ProgressLine From(SweepSnapshot snapshot, DateTimeOffset now)
    {
        var elapsed = (now - snapshot.RunStartedAt).TotalSeconds;
        var rate = elapsed > 0 ? snapshot.StoredThisRun / elapsed : 0;
        var remaining = snapshot.Total - snapshot.Done;
        TimeSpan? eta = rate > 0 ? TimeSpan.FromSeconds(remaining / rate) : null;
        return new ProgressLine(snapshot.Done, snapshot.Total, snapshot.Failed, snapshot.Diverged, rate, eta, snapshot.Best, snapshot.Pruned, snapshot.Waiting);
    }

    public string Describe(string metric) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Done}/{Total} done, {Failed} failed, {Diverged} diverged, {(Pruned > 0 ? $"{Pruned} pruned, " : string.Empty)}{TrialsPerSecond:F0} trials/s, ETA {FormatEta(Eta)}, best {metric} {FormatBest(Best)}{(Waiting is null ? string.Empty : $" (waiting: {Waiting})")}");

    public static string FormatBest(double? best) => best is { } value ? value.ToString("G6", CultureInfo.InvariantCulture) : "-";

    private static string FormatEta(TimeSpan? eta) => eta is { } value ? value.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "-";
}
