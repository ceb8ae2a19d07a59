namespace GradDescent.Sweeps;

/// <summary>Limits the validator enforces; the command line passes its <c>--max-trials</c> here.</summary>
public sealed record SweepSpecLimits
{
    public const long DefaultMaxTrials = 1_000_000;

    public static SweepSpecLimits Default { get; } = new();

    /// <summary>Most trials (points × repeats) a sweep may expand to.</summary>
    public long MaxTrials
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxTrials), value, "must be at least 1");
    } = DefaultMaxTrials;
}
