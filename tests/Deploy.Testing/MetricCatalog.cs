namespace GradDescent.Deploy.Testing;

/// <summary>How Prometheus sees an instrument: a counter gains _total; a histogram has _bucket, _sum and _count.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>A metric family as Prometheus names it, where it comes from, and how its name was established.</summary>
public sealed record MetricFamily(string Name, MetricType Type, string Source, string Evidence)
{
    /// <summary>The series names a query may select for this family.</summary>
    public IEnumerable<string> SeriesNames => Type switch
    {
        MetricType.Histogram => [$"{Name}_bucket", $"{Name}_sum", $"{Name}_count"],
        _ => [Name],
    };
}

/// <summary>
/// Every metric the Grafana dashboard, the alerting rules and the autoscaler may select. The GradDescent
/// families are CONTRACT.md's table as docs/metrics.md settles it; the others were read from a real scrape of a .NET 10 process with
/// OpenTelemetry 1.20.1 (Prometheus exporter 1.20.1-beta.1, runtime instrumentation 1.20.1, process
/// instrumentation 1.20.1-rc.1), an Orleans 10.4.2 silo and Npgsql 10.0.3. tests/Integration.Tests'
/// PrometheusDashboardTests confirms each name of <see cref="All"/> in a real Prometheus scraping a silo and workers.
/// </summary>
public static class MetricCatalog
{
    private const string Contract = "CONTRACT.md metrics table";
    private const string Scraped = "observed in a /metrics scrape";

    public static IReadOnlyList<MetricFamily> GradDescent { get; } =
    [
        new("graddescent_trials_completed_total", MetricType.Counter, "GradDescent (silo)", Contract),
        new("graddescent_trials_pending", MetricType.Gauge, "GradDescent (silo)", Contract),
        new("graddescent_trials_running", MetricType.Gauge, "GradDescent (silo)", Contract),
        new("graddescent_sweeps_active", MetricType.Gauge, "GradDescent (silo)", Contract),
        new("graddescent_sweeps", MetricType.Gauge, "GradDescent (silo)", "docs/metrics.md (sweeps by status in the store; added with pause)"),
        new("graddescent_sweep_trials", MetricType.Gauge, "GradDescent (silo)", "docs/metrics.md (CONTRACT.md's table said graddescent_sweep_trials_total)"),
        new("graddescent_sweep_trials_done", MetricType.Gauge, "GradDescent (silo)", Contract),
        new("graddescent_sweeps_unplaced", MetricType.Gauge, "GradDescent (silo)", "docs/metrics.md (placement, issue #10; not in CONTRACT.md's table)"),
        new("graddescent_leases_granted_total", MetricType.Counter, "GradDescent (silo)", Contract),
        new("graddescent_leases_expired_total", MetricType.Counter, "GradDescent (silo)", Contract),
        new("graddescent_leases_refused_total", MetricType.Counter, "GradDescent (silo)", "docs/metrics.md (lease tokens, issue #11; not in CONTRACT.md's table)"),
        new("graddescent_store_write_duration_seconds", MetricType.Histogram, "GradDescent (silo)", Contract),
        new("graddescent_store_write_errors_total", MetricType.Counter, "GradDescent (silo)", Contract),
        new("graddescent_trial_duration_seconds", MetricType.Histogram, "GradDescent (worker)", Contract),
        new("graddescent_batch_size", MetricType.Histogram, "GradDescent (worker)", Contract),
        new("graddescent_worker_slots", MetricType.Gauge, "GradDescent (worker)", Contract),
        new("graddescent_worker_slots_busy", MetricType.Gauge, "GradDescent (worker)", Contract),
        new("graddescent_worker_batches_total", MetricType.Counter, "GradDescent (worker)", Contract),
    ];

    public static IReadOnlyList<MetricFamily> Instrumentation { get; } =
    [
        new("up", MetricType.Gauge, "Prometheus (per scrape target)", "Prometheus documentation"),
        new("orleans_app_requests_latency_milliseconds", MetricType.Histogram, "Microsoft.Orleans meter (orleans-app-requests-latency, ms)", Scraped),
        new("process_cpu_time_seconds_total", MetricType.Counter, "OpenTelemetry.Instrumentation.Process (process.cpu.time, label cpu_mode)", Scraped),
        new("process_memory_usage_bytes", MetricType.Gauge, "OpenTelemetry.Instrumentation.Process (process.memory.usage)", Scraped),
        new("dotnet_gc_collections_total", MetricType.Counter, "System.Runtime meter (dotnet.gc.collections, label gc_heap_generation)", Scraped),
        new("dotnet_gc_pause_time_seconds_total", MetricType.Counter, "System.Runtime meter (dotnet.gc.pause.time)", Scraped),
        new("dotnet_gc_last_collection_heap_size_bytes", MetricType.Gauge, "System.Runtime meter (dotnet.gc.last_collection.heap.size)", Scraped),
    ];

    public static IReadOnlyList<MetricFamily> All { get; } = [.. GradDescent, .. Instrumentation];

    /// <summary>The family a selected series name belongs to, or null for an unknown name.</summary>
    public static MetricFamily? FamilyOf(string seriesName) => All.FirstOrDefault(f => f.SeriesNames.Contains(seriesName, StringComparer.Ordinal));
}
