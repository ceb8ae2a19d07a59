using System.Diagnostics.Metrics;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Telemetry;
using Xunit;

namespace GradDescent.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SweepPauseTests(ClusterFixture fixture)
{
    private static readonly WorkerInfo Worker = new("worker-p", "cpu", 2, "host-p");

    [Fact]
    public async Task PauseAsync_RunningSweepWithLeaseOut_StopsLeasingButStoresTheLeasedBatch()
    {
        var (sweepId, sweep) = await StartSweepAsync(trials: 8);
        var leased = (await sweep.LeaseAsync(Worker, 4))!;

        var paused = await sweep.PauseAsync();
        var next = await sweep.LeaseAsync(Worker, 4);
        var alive = await sweep.HeartbeatAsync(leased.LeaseId);
        var accepted = await sweep.CompleteAsync(Completion(leased));

        Assert.Equal(SweepStatus.Paused, paused.State);
        Assert.Null(next);
        Assert.True(alive);
        Assert.True(accepted);
        Assert.Equal(leased.Trials.Select(t => t.Index).Order(), (await fixture.Store.GetStoredTrialIndexesAsync(sweepId)).Order());
        Assert.Equal(SweepStatus.Paused, (await fixture.Store.GetSweepAsync(sweepId))!.Status);
        Assert.DoesNotContain(sweepId, await fixture.Cluster.GrainFactory.GetGrain<IDispatcherGrain>(0).GetRunningSweepsAsync());
    }

    [Fact]
    public async Task ResumeAsync_PausedSweep_HandsOutTheRestAndCompletes()
    {
        var (sweepId, sweep) = await StartSweepAsync(trials: 6);
        Assert.True(await sweep.CompleteAsync(Completion((await sweep.LeaseAsync(Worker, 4))!)));
        await sweep.PauseAsync();

        var resumed = await sweep.ResumeAsync();
        var running = await fixture.Cluster.GrainFactory.GetGrain<IDispatcherGrain>(0).GetRunningSweepsAsync();
        while (await sweep.LeaseAsync(Worker, 4) is { } lease)
        {
            Assert.True(await sweep.CompleteAsync(Completion(lease)));
        }

        Assert.Equal(SweepStatus.Running, resumed.State);
        Assert.Contains(sweepId, running);
        Assert.Equal((SweepStatus.Completed, 6L), ((await sweep.GetSnapshotAsync()).State, (await sweep.GetSnapshotAsync()).Completed));
        Assert.Equal(6, (await fixture.Store.GetStoredTrialIndexesAsync(sweepId)).Count);
    }

    [Fact]
    public async Task PauseAndResume_SweepNotRunning_ChangeNothing()
    {
        var (sweepId, sweep) = await StartSweepAsync(trials: 2);
        await sweep.CancelAsync();

        var paused = await sweep.PauseAsync();
        var resumed = await sweep.ResumeAsync();

        Assert.Equal((SweepStatus.Cancelled, SweepStatus.Cancelled), (paused.State, resumed.State));
        Assert.Equal(SweepStatus.Cancelled, (await fixture.Store.GetSweepAsync(sweepId))!.Status);
    }

    [Fact]
    public async Task CancelAsync_PausedSweep_Cancels()
    {
        var (sweepId, sweep) = await StartSweepAsync(trials: 2);
        await sweep.PauseAsync();

        var cancelled = await sweep.CancelAsync();

        Assert.Equal(SweepStatus.Cancelled, cancelled.State);
        Assert.Equal(SweepStatus.Cancelled, (await fixture.Store.GetSweepAsync(sweepId))!.Status);
    }

    [Fact]
    public async Task PauseAsync_RunningSweep_RemovesItsSweepSeriesUntilResumed()
    {
        var (sweepId, sweep) = await StartSweepAsync(trials: 8);
        var leased = (await sweep.LeaseAsync(Worker, 2))!;
        long leasedCount = leased.Trials.Length;
        var running = SweepGauges(sweepId);

        await sweep.PauseAsync();
        var paused = SweepGauges(sweepId);
        Assert.True(await sweep.CompleteAsync(Completion(leased)));
        var pausedAfterCompletion = SweepGauges(sweepId);
        await sweep.ResumeAsync();
        var resumed = SweepGauges(sweepId);

        Assert.Equal((8 - leasedCount, leasedCount, 8L, 0L), (running["graddescent.trials.pending"], running["graddescent.trials.running"], running["graddescent.sweep.trials"], running["graddescent.sweep.trials.done"]));
        Assert.Empty(paused);
        Assert.Empty(pausedAfterCompletion);
        Assert.Equal((8 - leasedCount, 0L, 8L, leasedCount), (resumed["graddescent.trials.pending"], resumed["graddescent.trials.running"], resumed["graddescent.sweep.trials"], resumed["graddescent.sweep.trials.done"]));
        await sweep.CancelAsync();
    }

    [Fact]
    public async Task DispatcherGetWorkersAsync_AfterLease_ReportsBusySlotsAndBatchesDone()
    {
        var (_, sweep) = await StartSweepAsync(trials: 4);
        var dispatcher = fixture.Cluster.GrainFactory.GetGrain<IDispatcherGrain>(0);
        var reporting = new WorkerInfo($"worker-{Guid.NewGuid():N}", "cpu", 3, "host-q", BusySlots: 1, BatchesDone: 7);

        var lease = await dispatcher.LeaseAsync(reporting, 2);
        var seen = (await dispatcher.GetWorkersAsync()).Single(w => w.Worker.WorkerId == reporting.WorkerId);

        Assert.NotNull(lease);
        Assert.Equal((2, 7L, 3), (seen.BusySlots, seen.Worker.BatchesDone, seen.Worker.Slots));
        await fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(lease.SweepId).CancelAsync();
        await sweep.CancelAsync();
    }

    private async Task<(string Id, ISweepGrain Grain)> StartSweepAsync(int trials)
    {
        var id = $"pause-test-{Guid.NewGuid():N}";
        var rates = string.Join(", ", Enumerable.Range(1, trials).Select(i => $"0.{i}"));
        await fixture.Store.CreateSweepAsync(new SweepRecord
        {
            Id = id,
            Name = "pause-test",
            Experiment = "linear-regression",
            Spec = $"name: pause-test\nexperiment: linear-regression\ngrid:\n  learning_rate: [{rates}]\n",
            SpecFormat = "yaml",
            Status = SweepStatus.Pending,
            TotalTrials = trials,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        var grain = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(id);
        await grain.StartAsync();
        return (id, grain);
    }

    /// <summary>What the control plane's per-sweep gauges report for one sweep now (instrument name → value).</summary>
    private static Dictionary<string, long> SweepGauges(string sweepId)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TelemetryNames.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == TelemetryNames.Sweep && tag.Value as string == sweepId)
                {
                    values[instrument.Name] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    private static LeaseCompletion Completion(TrialLease lease) =>
        new(lease.LeaseId, Worker.WorkerId, [.. lease.Trials.Select(t => TrialResults.For(t, 1.5, Worker.WorkerId))], []);
}
