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

    /// <summary>
    /// Whether searches whose trials depend on results (<c>search.algorithm</c> tpe or nsga2,
    /// <c>early_stopping</c>) and <c>objectives</c> are accepted. Off until the sweep grain runs them
    /// (docs/search.md, "Status"), so that no sweep is stored that this build cannot run; the search
    /// library's tests and benchmarks turn it on.
    /// </summary>
    public bool AdaptiveSearch { get; init; }
}
