namespace GradDescent.Sweeps;

/// <summary>
/// Counter-based draws: the value of dimension d of random sample k depends only on (seed, k, d),
/// so any sample can be produced alone, in any order, and a resumed sweep draws the same points.
/// The generator is SplitMix64's finaliser applied to the seed, then chained with k and d:
/// <c>h = mix(mix(mix(seed) ^ k) ^ d)</c>; the unit draw is the top 53 bits of h divided by 2^53.
/// </summary>
internal static class RandomSampler
{
    /// <summary>A uniform draw in [0, 1).</summary>
    public static double Unit(long seed, long sample, int dimension)
    {
        var h = Mix(unchecked((ulong)seed));
        h = Mix(h ^ unchecked((ulong)sample));
        h = Mix(h ^ unchecked((ulong)dimension));
        return (h >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>The raw value of one dimension for a unit draw <paramref name="u"/>.</summary>
    public static object Draw(RandomDimension dimension, double u) => dimension.Distribution switch
    {
        RandomDistribution.Uniform => Math.Clamp(dimension.Low + (u * (dimension.High - dimension.Low)), dimension.Low, dimension.High),
        RandomDistribution.LogUniform => Math.Clamp(
            Math.Exp(Math.Log(dimension.Low) + (u * (Math.Log(dimension.High) - Math.Log(dimension.Low)))), dimension.Low, dimension.High),
        RandomDistribution.IntUniform => Math.Min((long)dimension.High, (long)dimension.Low + (long)Math.Floor(u * (dimension.High - dimension.Low + 1))),
        _ => dimension.Choices[Pick(u, dimension.Choices.Length)],
    };

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
