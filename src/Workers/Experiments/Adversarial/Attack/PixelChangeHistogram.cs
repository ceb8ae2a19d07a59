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

        // Changes lie in −255..255: count into an array, then keep the changes that occur.
        var tally = new long[511];
        for (var i = 0; i < original.Pixels.Length; i++)
        {
            tally[adversarial.Pixels[i] - original.Pixels[i] + 255]++;
        }

        var counts = new SortedDictionary<int, long>();
        for (var change = -255; change <= 255; change++)
        {
            if (tally[change + 255] > 0)
            {
                counts[change] = tally[change + 255];
            }
        }

        return counts;
    }

    /// <summary>The largest absolute change (L∞ distance in 1/255 units).</summary>
    public static int MaxAbsoluteChange(IReadOnlyDictionary<int, long> histogram) =>
        histogram.Keys.Select(Math.Abs).DefaultIfEmpty(0).Max();
}
