namespace GradDescent.Sweeps;

/// <summary>One problem found in a sweep spec.</summary>
/// <param name="KeyPath">Dotted path of the offending key, e.g. <c>grid.learning_rate.count</c>; empty for the whole file.</param>
/// <param name="Line">1-based line, or null where unknown (a missing file).</param>
/// <param name="Column">1-based column, or null where unknown.</param>
/// <param name="Problem">What is wrong, in words.</param>
public sealed record SweepSpecError(string KeyPath, int? Line, int? Column, string Problem)
{
    /// <summary>Formats as <c>source:line:column: key.path: problem</c>.</summary>
    public string Format(string sourceName)
    {
        var location = Line is { } line ? Column is { } column ? $"{sourceName}:{line}:{column}" : $"{sourceName}:{line}" : sourceName;
        return KeyPath.Length == 0 ? $"{location}: {Problem}" : $"{location}: {KeyPath}: {Problem}";
    }
}
