namespace GradDescent.Sweeps.Search;

/// <summary>
/// The searchers' own pseudo-random stream: SplitMix64 (Steele, Lea and Flood 2014), whose whole state is
/// one 64-bit counter, so a stream is fully described by <see cref="State"/> and never depends on
/// <see cref="System.Random"/>'s implementation. Streams are derived from (seed, trial index, dimension,
/// purpose) with the same finaliser, so a proposal's draws depend on nothing but those four numbers.
/// </summary>
internal sealed class SearchRandom(ulong state)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The counter: a stream restarted from it draws the same numbers.</summary>
    public ulong State { get; private set; } = state;

    /// <summary>The stream of one purpose (TPE, NSGA-II, forest…) for one trial and dimension.</summary>
    public static SearchRandom For(long seed, long index, int dimension, ulong purpose)
    {
        var h = Mix(unchecked((ulong)seed));
        h = Mix(h ^ unchecked((ulong)index));
        h = Mix(h ^ unchecked((ulong)dimension));
        return new SearchRandom(Mix(h ^ purpose));
    }

    public ulong NextULong()
    {
        State = unchecked(State + Golden);
        return Finalize(State);
    }

    /// <summary>A uniform double in [0, 1): the top 53 bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in 0..count-1.</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return (int)Math.Min(count - 1, (long)(NextDouble() * count));
    }

    /// <summary>The SplitMix64 step used to derive streams: add the golden gamma, then finalise.</summary>
    internal static ulong Mix(ulong z) => Finalize(unchecked(z + Golden));

    private static ulong Finalize(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
