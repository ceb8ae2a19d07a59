using System.Diagnostics.Metrics;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Telemetry;
using GradDescent.Storage;

namespace GradDescent.Grains.Telemetry;

/// <summary>
/// <c>graddescent.sweeps</c>: the sweeps the result store holds, by status. The store is the truth for a sweep's
/// status (a paused sweep's grain may deactivate, and another silo may hold it), so the gauge reports the store's
/// counts as <see cref="RefreshAsync"/> last read them (<see cref="SweepStatusRefresher"/> calls it every
/// <see cref="RefreshInterval"/>). Every status has a series from the first scrape, at zero until a refresh.
/// Every silo of a cluster reports the same counts: aggregate with <c>max</c>, not <c>sum</c>.
/// </summary>
public sealed class SweepStatusTelemetry : IComponentTelemetry
{
    /// <summary>How often the counts are read from the store.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(15);

    private readonly IResultStore store;
    private readonly Dictionary<SweepStatus, long> counts = Enum.GetValues<SweepStatus>().ToDictionary(s => s, _ => 0L);
    private readonly Lock gate = new();

    public SweepStatusTelemetry(IResultStore store, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.store = store;
        meterFactory.Create(TelemetryNames.Meter).CreateObservableGauge(
            "graddescent.sweeps", Observe, unit: "{sweep}",
            description: "Sweeps in the result store by status (pending, running, paused, completed, cancelled, failed), read every 15 s.");
    }

    /// <summary>Reads the counts from the store; a failed read leaves the last counts and throws.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var read = await store.CountSweepsByStatusAsync(cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            foreach (var status in Enum.GetValues<SweepStatus>())
            {
                counts[status] = read.GetValueOrDefault(status);
            }
        }
    }

    private List<Measurement<long>> Observe()
    {
        lock (gate)
        {
            return [.. counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>(TelemetryNames.Status, Text(c.Key))))];
        }
    }

    private static string Text(SweepStatus status) => status.ToString().ToLowerInvariant();
}
