using GradDescent.Workers.Experiments.Adversarial.Images;

namespace GradDescent.Workers.Experiments.Adversarial.Attack;

/// <summary>
/// Counts of per-channel changes between two 8-bit images, in 1/255 units. A sign attack with an
/// integer step s over k iterations moves a channel by a sum of k terms from {−s, 0, +s}, so every
/// change is a multiple of s; where no gradient is exactly zero and no clipping happens, the k terms
/// are all ±s and the change has the parity of k (the article's k = 4, s = 1 gives −4, −2, 0, +2, +4).
/// </summary>
public static class PixelChangeHistogram
{
    public static SortedDictionary<int, long> Compute(RgbImage original, RgbImage adversarial)
    {
        if (original.Pixels.Length != adversarial.Pixels.Length)
        {
            throw new ArgumentException("the images differ in size", nameof(adversarial));
        }

        var counts = new SortedDictionary<int, long>();
        for (var i = 0; i < original.Pixels.Length; i++)
        {
            var change = adversarial.Pixels[i] - original.Pixels[i];
            counts[change] = counts.GetValueOrDefault(change) + 1;
        }

        return counts;
    }

    /// <summary>The largest absolute change (L∞ distance in 1/255 units).</summary>
    public static int MaxAbsoluteChange(IReadOnlyDictionary<int, long> histogram) =>
        histogram.Keys.Select(Math.Abs).DefaultIfEmpty(0).Max();
}
