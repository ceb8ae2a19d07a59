using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Telemetry;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Storage;

/// <summary>
/// The result store's instruments on the <see cref="TelemetryNames.Meter"/> meter. Counters are observed
/// from totals kept here, so every experiment × outcome series is exported (as zero) from the first scrape.
/// </summary>
public sealed class StorageTelemetry : IComponentTelemetry
{
    private readonly ConcurrentDictionary<(string Experiment, string Outcome), long> stored = new();
    private readonly Histogram<double> writeDuration;
    private long writeErrors;

    public StorageTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        foreach (var experiment in ExperimentCatalog.All)
        {
            foreach (var status in Enum.GetValues<TrialStatus>())
            {
                stored[(experiment.Name, StatusText.Of(status))] = 0;
            }
        }

        var meter = meterFactory.Create(TelemetryNames.Meter);
        meter.CreateObservableCounter(
            "graddescent.trials.completed",
            ObserveStored,
            unit: "{trial}",
            description: "Trials stored, counted once per stored trial, by experiment and outcome (completed, diverged, failed, pruned).");
        writeDuration = meter.CreateHistogram<double>(
            "graddescent.store.write.duration",
            unit: "s",
            description: "Time to store one batch of trial results (one transaction, retries included).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        meter.CreateObservableCounter(
            "graddescent.store.write.errors",
            () => Interlocked.Read(ref writeErrors),
            unit: "{write}",
            description: "Batch writes that failed after the store's retries; their trials run again.");
    }

    internal void RecordStored(string experiment, string status, int count) =>
        stored.AddOrUpdate((experiment, status), count, (_, total) => total + count);

    internal void RecordWrite(TimeSpan elapsed) => writeDuration.Record(elapsed.TotalSeconds);

    internal void RecordWriteError() => Interlocked.Increment(ref writeErrors);

    private IEnumerable<Measurement<long>> ObserveStored() =>
        stored.Select(s => new Measurement<long>(
            s.Value,
            new KeyValuePair<string, object?>(TelemetryNames.Experiment, s.Key.Experiment),
            new KeyValuePair<string, object?>(TelemetryNames.Outcome, s.Key.Outcome)));
}
