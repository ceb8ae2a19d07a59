namespace GradDescent.Sweeps;

/// <summary>
/// A sweep spec cannot be read or is invalid. The message starts with the first problem, formatted
/// <c>file:line:column: key.path: problem</c>; further problems follow, one per line.
/// </summary>
public sealed class SweepSpecException : Exception
{
    public SweepSpecException(string sourceName, IReadOnlyList<SweepSpecError> errors)
        : base(Describe(sourceName, errors))
    {
        SourceName = sourceName;
        Errors = errors;
    }

    public SweepSpecException(string sourceName, SweepSpecError error, Exception innerException)
        : base(Describe(sourceName, [error]), innerException)
    {
        SourceName = sourceName;
        Errors = [error];
    }

    /// <summary>The file (or other source name) the spec came from.</summary>
    public string SourceName { get; }

    /// <summary>Every problem found, in document order; never empty.</summary>
    public IReadOnlyList<SweepSpecError> Errors { get; }

    /// <summary>The first problem's key path.</summary>
    public string KeyPath => Errors[0].KeyPath;

    /// <summary>The first problem's line, where known.</summary>
    public int? Line => Errors[0].Line;

    /// <summary>The first problem's column, where known.</summary>
    public int? Column => Errors[0].Column;

    private static string Describe(string sourceName, IReadOnlyList<SweepSpecError> errors)
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("at least one error is required", nameof(errors));
        }

        return string.Join(Environment.NewLine, errors.Select(e => e.Format(sourceName)));
    }
}
