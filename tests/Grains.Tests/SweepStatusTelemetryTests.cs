using System.Diagnostics.Metrics;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Telemetry;
using GradDescent.Grains.Telemetry;
using GradDescent.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace GradDescent.Grains.Tests;

public sealed class SweepStatusTelemetryTests : IAsyncLifetime
{
    private readonly string databasePath = Path.Combine(Path.GetTempPath(), $"graddescent-sweep-status-{Guid.NewGuid():N}.db");
    private readonly ServiceProvider metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private IResultStore store = null!;

    public async Task InitializeAsync()
    {
        store = ResultStoreFactory.Create($"Data Source={databasePath}");
        await store.EnsureSchemaAsync();
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        await metrics.DisposeAsync();
        File.Delete(databasePath);
    }

    [Fact]
    public async Task Gauge_BeforeAndAfterRefresh_ReportsEveryStatusThenTheStoresCounts()
    {
        var factory = metrics.GetRequiredService<IMeterFactory>();
        var telemetry = new SweepStatusTelemetry(store, factory);
        await CreateAsync("a", SweepStatus.Running);
        await CreateAsync("b", SweepStatus.Paused);
        await CreateAsync("c", SweepStatus.Paused);

        var before = Observe(factory);
        await telemetry.RefreshAsync(CancellationToken.None);
        var first = Observe(factory);
        await store.SetSweepStatusAsync("b", SweepStatus.Running);
        await CreateAsync("d", SweepStatus.Cancelled);
        var unchanged = Observe(factory);
        await telemetry.RefreshAsync(CancellationToken.None);
        var second = Observe(factory);

        string[] statuses = ["pending", "running", "paused", "completed", "cancelled", "failed"];
        Assert.Equal(statuses.Order(), before.Keys.Order());
        Assert.All(before.Values, v => Assert.Equal(0, v));
        Assert.Equal((1L, 2L, 0L, 0L), (first["running"], first["paused"], first["cancelled"], first["pending"]));
        Assert.Equal(first, unchanged);
        Assert.Equal((2L, 1L, 1L, 0L), (second["running"], second["paused"], second["cancelled"], second["completed"]));
    }

    [Fact]
    public async Task RefreshAsync_StoreGone_ThrowsAndKeepsTheLastCounts()
    {
        var factory = metrics.GetRequiredService<IMeterFactory>();
        var broken = ResultStoreFactory.Create($"Data Source={Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "gone.db")}");
        await using var _ = broken;
        var telemetry = new SweepStatusTelemetry(broken, factory);

        await Assert.ThrowsAnyAsync<Exception>(() => telemetry.RefreshAsync(CancellationToken.None));

        Assert.All(Observe(factory).Values, v => Assert.Equal(0, v));
    }

    private async Task CreateAsync(string id, SweepStatus status)
    {
        await store.CreateSweepAsync(new SweepRecord
        {
            Id = id,
            Name = id,
            Experiment = "linear-regression",
            Spec = "name: s\nexperiment: linear-regression\ngrid:\n  learning_rate: [0.1]\n",
            SpecFormat = "yaml",
            Status = SweepStatus.Pending,
            TotalTrials = 1,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await store.SetSweepStatusAsync(id, status);
    }

    /// <summary>The <c>graddescent.sweeps</c> gauge of meters made by <paramref name="factory"/>: status → value.</summary>
    private static Dictionary<string, long> Observe(IMeterFactory factory)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TelemetryNames.Meter && instrument.Meter.Scope == factory && instrument.Name == "graddescent.sweeps")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == TelemetryNames.Status)
                {
                    values[(string)tag.Value!] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}
