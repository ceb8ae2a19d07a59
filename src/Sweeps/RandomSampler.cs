namespace GradDescent.Sweeps;

/// <summary>
/// Counter-based draws: the value of dimension d of random sample k depends only on (seed, k, d),
/// so any sample can be produced alone, in any order, and a resumed sweep draws the same points.
/// The generator is SplitMix64's finaliser applied to the seed, then chained with k and d:
/// <c>h = mix(mix(mix(seed) ^ k) ^ d)</c>; the unit draw is the top 53 bits of h divided by 2^53.
/// Integers use all 64 bits of h (Lemire's multiply-and-reject, a rejected h replaced by mix(h)), so
/// <c>int_uniform</c> is exactly uniform over any range, the whole of int64 included.
/// </summary>
internal static class RandomSampler
{
    /// <summary>The 64 random bits of dimension <paramref name="dimension"/> of sample <paramref name="sample"/>.</summary>
    public static ulong Bits(long seed, long sample, int dimension)
    {
        var h = Mix(unchecked((ulong)seed));
        h = Mix(h ^ unchecked((ulong)sample));
        return Mix(h ^ unchecked((ulong)dimension));
    }

    /// <summary>A uniform draw in [0, 1).</summary>
    public static double Unit(long seed, long sample, int dimension) => Unit(Bits(seed, sample, dimension));

    /// <summary>A uniform draw in [0, 1) from 64 random bits.</summary>
    public static double Unit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    /// <summary>The raw value of one dimension for 64 random bits.</summary>
    public static object Draw(RandomDimension dimension, ulong bits) => dimension.Distribution switch
    {
        RandomDistribution.Uniform => Math.Clamp(GridGenerator.Interpolate(dimension.Low, dimension.High, Unit(bits)), dimension.Low, dimension.High),
        RandomDistribution.LogUniform => Math.Clamp(
            Math.Exp(GridGenerator.Interpolate(Math.Log(dimension.Low), Math.Log(dimension.High), Unit(bits))), dimension.Low, dimension.High),
        RandomDistribution.IntUniform => Integer(dimension.IntegerLow, dimension.IntegerHigh, bits),
        _ => dimension.Choices[Pick(Unit(bits), dimension.Choices.Length)],
    };

    /// <summary>An integer in low..high (both included), exactly uniform: no modulo or rounding bias.</summary>
    public static long Integer(long low, long high, ulong bits)
    {
        // The range's size as an unsigned 64-bit count; 0 stands for all 2^64 values.
        var range = unchecked((ulong)(high - low) + 1);
        if (range == 0)
        {
            return unchecked(low + (long)bits);
        }

        // Lemire (2019): the high word of bits·range is uniform in 0..range-1 once the low words that would
        // over-represent some values (fewer than 2^64 mod range of them) are rejected.
        var product = (UInt128)bits * range;
        if ((ulong)product < range)
        {
            var threshold = unchecked(0UL - range) % range;
            while ((ulong)product < threshold)
            {
                bits = Mix(bits);
                product = (UInt128)bits * range;
            }
        }

        return unchecked(low + (long)(ulong)(product >> 64));
    }

    /// <summary>An index in 0..count-1 for a unit draw.</summary>
    public static int Pick(double u, int count) => Math.Min(count - 1, (int)(u * count));

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
