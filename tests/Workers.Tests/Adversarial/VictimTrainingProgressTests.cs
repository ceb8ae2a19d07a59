using GradDescent.Workers.Experiments.Adversarial.Synthetic;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace GradDescent.Workers.Tests.Adversarial;

public sealed class VictimTrainingProgressTests
{
    private const int Estimate = 4404;
    private const int Progress = 4405;

    [Fact]
    public void BatchCompleted_FirstBatch_LogsTheWholeTrainingsEstimatedDuration()
    {
        var time = new FakeTimeProvider();
        var logger = new RecordingLogger();
        var progress = new VictimTrainingProgress(logger, time, epochs: 2, batchesPerEpoch: 10, finishingBatches: 2);

        time.Advance(TimeSpan.FromSeconds(3));
        progress.BatchCompleted(1, 1);

        // 3 s per batch × (20 batches + 2 batches' worth of closing passes)
        var line = Assert.Single(logger.Entries);
        Assert.Equal(Estimate, line.EventId);
        Assert.Equal("Victim training will take about 66 s: 20 batches in 2 epochs, the first took 3.0 s", line.Message);
    }

    [Fact]
    public void BatchCompleted_EveryIntervalAfterTheFirst_LogsShareDoneAndTimeLeft()
    {
        var time = new FakeTimeProvider();
        var logger = new RecordingLogger();
        var progress = new VictimTrainingProgress(logger, time, epochs: 2, batchesPerEpoch: 10, finishingBatches: 2, TimeSpan.FromSeconds(10));

        for (var batch = 1; batch <= 20; batch++)
        {
            time.Advance(TimeSpan.FromSeconds(4));
            progress.BatchCompleted(((batch - 1) / 10) + 1, ((batch - 1) % 10) + 1);
        }

        // Reports at 4 s (estimate), then whenever 10 s have passed since the last: 16, 28, 40, 52, 64, 76 s.
        Assert.Single(logger.MessagesOf(Estimate));
        var lines = logger.MessagesOf(Progress);
        Assert.Equal(6, lines.Count);
        Assert.Equal("Victim training 18% done: epoch 1/2, batch 4/10, 16 s elapsed, about 72 s left", lines[0]);
        Assert.Equal("Victim training 86% done: epoch 2/2, batch 9/10, 76 s elapsed, about 12 s left", lines[^1]);
    }

    [Fact]
    public void GetOrTrain_NoCachedVictim_SaysItTrainsWithEstimateThenCaches()
    {
        var cache = Directory.CreateTempSubdirectory("graddescent-progress-").FullName;
        try
        {
            var recipe = new SyntheticVictimRecipe { ImageSize = 32, BaseWidth = 2, Images = 16, Epochs = 2, BatchSize = 4 };
            var logger = new RecordingLogger();

            var path = SyntheticVictim.GetOrTrain(recipe, cache, CancellationToken.None, logger);
            var again = SyntheticVictim.GetOrTrain(recipe, cache, CancellationToken.None, logger);

            Assert.Equal(path, again);
            Assert.True(File.Exists(path));
            Assert.Equal([4402, Estimate], logger.Entries.Select(e => e.EventId).Where(id => id is 4402 or Estimate));
            Assert.Contains("16 generated images, 2 epochs, 32×32×3, base width 2", logger.MessagesOf(4402)[0], StringComparison.Ordinal);
            Assert.Contains(path, logger.MessagesOf(4402)[0], StringComparison.Ordinal);
            Assert.Matches(@"^Victim training will take about \d+ s: 6 batches in 2 epochs, the first took \d+\.\d s$", logger.MessagesOf(Estimate)[0]);
            Assert.Equal(2, logger.MessagesOf(4401).Count);
            Assert.Contains(path, Assert.Single(logger.MessagesOf(4403)), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
