namespace GradDescent.Grains.Sweeps;

/// <summary>One bit per trial index: which trials have a stored result. 1,000,000 trials take 125 KB.</summary>
internal sealed class TrialBitSet(long size)
{
    private readonly ulong[] words = new ulong[(size + 63) / 64];

    public long Size { get; } = size;

    public long Count { get; private set; }

    public bool Contains(long index) => (words[index >> 6] & (1UL << (int)(index & 63))) != 0;

    /// <summary>Sets the bit; false when it was set already.</summary>
    public bool Add(long index)
    {
        if (index < 0 || index >= Size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"trial index outside 0..{Size - 1}");
        }

        ref var word = ref words[index >> 6];
        var mask = 1UL << (int)(index & 63);
        if ((word & mask) != 0)
        {
            return false;
        }

        word |= mask;
        Count++;
        return true;
    }
}
