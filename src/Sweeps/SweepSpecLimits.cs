using GradDescent.Abstractions.Files;

namespace GradDescent.Sweeps;

/// <summary>
/// Limits the validator enforces; the command line passes its <c>--max-trials</c> here. The defaults bound the time
/// and memory one hostile spec can cost: at most <see cref="MaxSpecBytes"/> of text, nested at most
/// <see cref="MaxDepth"/> levels, reported with at most <see cref="MaxErrors"/> problems.
/// </summary>
public sealed record SweepSpecLimits
{
    public const long DefaultMaxTrials = 1_000_000;

    public const int DefaultMaxSpecBytes = 1024 * 1024;

    public const int DefaultMaxDepth = 32;

    public const int DefaultMaxErrors = 20;

    public static SweepSpecLimits Default { get; } = new();

    /// <summary>Most trials (points × repeats) a sweep may expand to.</summary>
    public long MaxTrials
    {
        get;
        init => field = AtLeastOne(value, nameof(MaxTrials));
    } = DefaultMaxTrials;

    /// <summary>Largest spec text, in UTF-8 bytes (default 1 MiB).</summary>
    public int MaxSpecBytes
    {
        get;
        init => field = AtLeastOne(value, nameof(MaxSpecBytes));
    } = DefaultMaxSpecBytes;

    /// <summary>Deepest nesting of lists and mappings (a spec needs 5; the YAML loader recurses per level).</summary>
    public int MaxDepth
    {
        get;
        init => field = AtLeastOne(value, nameof(MaxDepth));
    } = DefaultMaxDepth;

    /// <summary>Most problems listed in one <see cref="SweepSpecException"/>; the rest are counted.</summary>
    public int MaxErrors
    {
        get;
        init => field = AtLeastOne(value, nameof(MaxErrors));
    } = DefaultMaxErrors;

    /// <summary>
    /// Checks every file parameter value (<c>data</c>, <c>image</c>, <c>model</c>, <c>out</c>) against this gate, so a
    /// path outside the allowed folders, a missing file, a device or FIFO, or an oversized file is reported at its line
    /// before anything is stored. Null: paths are checked only for form (the workers check them again when they run).
    /// </summary>
    public FileGate? Files { get; init; }

    private static T AtLeastOne<T>(T value, string name)
        where T : System.Numerics.INumber<T> =>
        value >= T.One ? value : throw new ArgumentOutOfRangeException(name, value, "must be at least 1");
}
