using Microsoft.Extensions.Logging;

namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// Tells how far a <see cref="VictimTrainer"/> run is: after the first batch, how long the whole
/// training will take (estimated from the time per batch so far), then every <see cref="Interval"/>
/// the share done and the time left. The closing passes (BatchNorm recalibration and accuracy,
/// forward only) are counted as <c>finishingBatches</c> training batches' worth of work.
/// </summary>
public sealed partial class VictimTrainingProgress
{
    /// <summary>How often a progress line is logged while training runs.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger? logger;
    private readonly TimeProvider time;
    private readonly int epochs;
    private readonly int batchesPerEpoch;
    private readonly double finishingBatches;
    private readonly long started;
    private long lastReport;
    private int completed;

    /// <param name="logger">Receives the lines; null: nothing is logged.</param>
    /// <param name="time">The clock.</param>
    /// <param name="epochs">Epochs of the training.</param>
    /// <param name="batchesPerEpoch">Training batches in one epoch.</param>
    /// <param name="finishingBatches">Work after the last batch, in training batches (≥ 0).</param>
    /// <param name="interval">Time between progress lines (default <see cref="DefaultInterval"/>).</param>
    public VictimTrainingProgress(ILogger? logger, TimeProvider time, int epochs, int batchesPerEpoch, double finishingBatches, TimeSpan? interval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchesPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(finishingBatches);
        this.logger = logger;
        this.time = time;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.finishingBatches = finishingBatches;
        Interval = interval ?? DefaultInterval;
        started = time.GetTimestamp();
        lastReport = started;
    }

    public TimeSpan Interval { get; }

    /// <summary>Training batches of the whole run.</summary>
    public int TotalBatches => epochs * batchesPerEpoch;

    /// <summary>Records that batch <paramref name="batch"/> (1-based) of epoch <paramref name="epoch"/> (1-based) is done.</summary>
    public void BatchCompleted(int epoch, int batch)
    {
        completed++;
        if (logger is null)
        {
            return;
        }

        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(started, now);
        var perBatch = elapsed / completed;
        var remaining = perBatch * (TotalBatches - completed + finishingBatches);
        if (completed == 1)
        {
            LogEstimate(logger, (elapsed + remaining).TotalSeconds, TotalBatches, epochs, elapsed.TotalSeconds);
            lastReport = now;
        }
        else if (time.GetElapsedTime(lastReport, now) >= Interval)
        {
            var percent = 100 * completed / (TotalBatches + finishingBatches);
            LogProgress(logger, percent, epoch, epochs, batch, batchesPerEpoch, elapsed.TotalSeconds, remaining.TotalSeconds);
            lastReport = now;
        }
    }

    [LoggerMessage(EventId = 4404, Level = LogLevel.Information,
        Message = "Victim training will take about {Seconds:F0} s: {Batches} batches in {Epochs} epochs, the first took {FirstSeconds:F1} s")]
    private static partial void LogEstimate(ILogger logger, double seconds, int batches, int epochs, double firstSeconds);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Information,
        Message = "Victim training {Percent:F0}% done: epoch {Epoch}/{Epochs}, batch {Batch}/{Batches}, {ElapsedSeconds:F0} s elapsed, about {RemainingSeconds:F0} s left")]
    private static partial void LogProgress(ILogger logger, double percent, int epoch, int epochs, int batch, int batches, double elapsedSeconds, double remainingSeconds);
}
