using System.Diagnostics.Metrics;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Telemetry;

namespace GradDescent.Workers.Telemetry;

/// <summary>
/// The worker's instruments on the <see cref="TelemetryNames.Meter"/> meter: slots, batches, batch sizes
/// and per-trial compute time. Slot and batch series carry the worker's id, pool and device, and are
/// reported from the moment the worker has resolved its device.
/// </summary>
public sealed class WorkerTelemetry : IComponentTelemetry
{
    private readonly Histogram<double> trialDuration;
    private readonly Histogram<long> batchSize;
    private volatile WorkerInfo? worker;
    private int busySlots;
    private long batches;

    public WorkerTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(TelemetryNames.Meter);
        trialDuration = meter.CreateHistogram<double>(
            "graddescent.trial.duration",
            unit: "s",
            description: "Compute time per trial: the wall time of one fused tensor program divided by its trials.",
            tags: null,
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
            });
        batchSize = meter.CreateHistogram<long>(
            "graddescent.batch.size",
            unit: "{trial}",
            description: "Trials in one leased batch a worker computed.",
            tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] });
        meter.CreateObservableGauge(
            "graddescent.worker.slots", () => Observe(w => w.Slots, withDevice: true), unit: "{slot}",
            description: "Batches this worker can compute at once.");
        meter.CreateObservableGauge(
            "graddescent.worker.slots.busy", () => Observe(_ => Volatile.Read(ref busySlots), withDevice: true), unit: "{slot}",
            description: "Slots computing a leased batch now.");
        meter.CreateObservableCounter(
            "graddescent.worker.batches", () => Observe(_ => Interlocked.Read(ref batches), withDevice: false), unit: "{batch}",
            description: "Leased batches this worker computed and handed back.");
    }

    /// <summary>The worker has resolved its device: its slot and batch series start.</summary>
    public void Started(WorkerInfo info) => worker = info;

    public void SlotBusy() => Interlocked.Increment(ref busySlots);

    public void SlotIdle() => Interlocked.Decrement(ref busySlots);

    /// <summary>A leased batch was computed and its results sent.</summary>
    public void BatchDone(string experiment, int trials)
    {
        Interlocked.Increment(ref batches);
        batchSize.Record(trials, new KeyValuePair<string, object?>(TelemetryNames.Experiment, experiment));
    }

    /// <summary>One fused program of <paramref name="trials"/> trials took <paramref name="elapsed"/>.</summary>
    public void FusedRun(string experiment, string device, int trials, TimeSpan elapsed)
    {
        var perTrial = elapsed.TotalSeconds / trials;
        var tags = new System.Diagnostics.TagList
        {
            { TelemetryNames.Experiment, experiment },
            { TelemetryNames.Device, device },
        };
        for (var i = 0; i < trials; i++)
        {
            trialDuration.Record(perTrial, tags);
        }
    }

    private IEnumerable<Measurement<long>> Observe(Func<WorkerInfo, long> value, bool withDevice)
    {
        if (worker is not { } info)
        {
            yield break;
        }

        var tags = new System.Diagnostics.TagList
        {
            { TelemetryNames.Worker, info.WorkerId },
            { TelemetryNames.Pool, info.Pool },
        };
        if (withDevice)
        {
            tags.Add(TelemetryNames.Device, info.Device);
        }

        yield return new Measurement<long>(value(info), tags);
    }
}
