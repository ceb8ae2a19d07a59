using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Telemetry;

namespace GradDescent.Grains.Telemetry;

/// <summary>
/// The control plane's instruments on the <see cref="TelemetryNames.Meter"/> meter. Sweep grains report
/// their counts here after every change; the gauges read them at scrape time, one series per active
/// sweep of this silo. A sweep that finishes, is cancelled or deactivates is removed, and its series
/// are no longer reported.
/// </summary>
public sealed class GrainsTelemetry : IComponentTelemetry
{
    private readonly ConcurrentDictionary<string, SweepCounts> sweeps = new(StringComparer.Ordinal);
    private long leasesGranted;
    private long leasesExpired;
    private long leaseCallsRefused;
    private IReadOnlyDictionary<PlacementWaitReason, int> unplaced = new Dictionary<PlacementWaitReason, int>();

    public GrainsTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(TelemetryNames.Meter);
        meter.CreateObservableGauge(
            "graddescent.trials.pending", () => PerSweep(c => c.Pending), unit: "{trial}",
            description: "Trials of an active sweep neither stored nor out on a lease (retries included).");
        meter.CreateObservableGauge(
            "graddescent.trials.running", () => PerSweep(c => c.Running), unit: "{trial}",
            description: "Trials of an active sweep out on live leases (an expired lease counts until it is reclaimed).");
        meter.CreateObservableGauge(
            "graddescent.sweep.trials", () => PerSweep(c => c.Total), unit: "{trial}",
            description: "Trials in an active sweep.");
        meter.CreateObservableGauge(
            "graddescent.sweep.trials.done", () => PerSweep(c => c.Done), unit: "{trial}",
            description: "Trials of an active sweep with a stored result (any outcome), including those stored before a restart.");
        meter.CreateObservableGauge(
            "graddescent.sweeps.active", () => sweeps.Count, unit: "{sweep}",
            description: "Sweeps running on this silo.");
        meter.CreateObservableGauge(
            "graddescent.sweeps.unplaced", ObserveUnplaced, unit: "{sweep}",
            description: "Running sweeps with trials to hand out and none on a lease that no live worker may take: reason no_matching_worker (the spec's placement) or awaiting_fallback (no worker of the experiment's preferred device yet).");
        meter.CreateObservableCounter(
            "graddescent.leases.granted", () => Interlocked.Read(ref leasesGranted), unit: "{lease}",
            description: "Leases (batches of trials) handed to workers.");
        meter.CreateObservableCounter(
            "graddescent.leases.expired", () => Interlocked.Read(ref leasesExpired), unit: "{lease}",
            description: "Leases that passed their deadline without a heartbeat; their trials went back to the queue.");
        meter.CreateObservableCounter(
            "graddescent.leases.refused", () => Interlocked.Read(ref leaseCallsRefused), unit: "{call}",
            description: "Completions, heartbeats and releases refused because they named a lease without its token (forged or foreign).");
    }

    /// <summary>Sets how many running sweeps wait for a worker, by reason (a reason left out: none).</summary>
    public void ReportUnplaced(IReadOnlyDictionary<PlacementWaitReason, int> counts) => Volatile.Write(ref unplaced, counts);

    /// <summary>The <c>reason</c> label of a placement wait: <c>no_matching_worker</c>, <c>awaiting_fallback</c>.</summary>
    public static string ReasonLabel(PlacementWaitReason reason) => reason switch
    {
        PlacementWaitReason.NoMatchingWorker => "no_matching_worker",
        _ => "awaiting_fallback",
    };

    /// <summary>Sets an active sweep's counts (adds the sweep when it is new).</summary>
    public void ReportSweep(string sweepId, long pending, long running, long total, long done) =>
        sweeps[sweepId] = new SweepCounts(pending, running, total, done);

    /// <summary>The sweep is no longer active here: its series stop.</summary>
    public void RemoveSweep(string sweepId) => sweeps.TryRemove(sweepId, out _);

    public void LeaseGranted() => Interlocked.Increment(ref leasesGranted);

    public void LeasesExpired(int count) => Interlocked.Add(ref leasesExpired, count);

    public void LeaseCallRefused() => Interlocked.Increment(ref leaseCallsRefused);

    /// <summary>Calls refused so far for naming a lease without its token (the counter's value).</summary>
    public long LeaseCallsRefused => Interlocked.Read(ref leaseCallsRefused);

    private IEnumerable<Measurement<long>> ObserveUnplaced()
    {
        var counts = Volatile.Read(ref unplaced);
        return Enum.GetValues<PlacementWaitReason>().Select(r => new Measurement<long>(
            counts.GetValueOrDefault(r), new KeyValuePair<string, object?>(TelemetryNames.Reason, ReasonLabel(r))));
    }

    private IEnumerable<Measurement<long>> PerSweep(Func<SweepCounts, long> value) =>
        sweeps.Select(s => new Measurement<long>(value(s.Value), new KeyValuePair<string, object?>(TelemetryNames.Sweep, s.Key)));

    private sealed record SweepCounts(long Pending, long Running, long Total, long Done);
}
