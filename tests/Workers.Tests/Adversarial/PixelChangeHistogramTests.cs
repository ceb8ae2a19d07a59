using GradDescent.Workers.Experiments.Adversarial.Attack;
using GradDescent.Workers.Experiments.Adversarial.Images;
using Xunit;

namespace GradDescent.Workers.Tests.Adversarial;

public sealed class PixelChangeHistogramTests
{
    [Fact]
    public void Compute_ChangesAcrossTheWholeRange_CountsEachChangeInOrder()
    {
        var original = new RgbImage(2, 1, [0, 255, 10, 10, 20, 200]);
        var adversarial = new RgbImage(2, 1, [255, 0, 10, 12, 18, 202]);

        var histogram = PixelChangeHistogram.Compute(original, adversarial);

        Assert.Equal([(-255, 1L), (-2, 1L), (0, 1L), (2, 2L), (255, 1L)], histogram.Select(kv => (kv.Key, kv.Value)));
        Assert.Equal(255, PixelChangeHistogram.MaxAbsoluteChange(histogram));
    }
}
