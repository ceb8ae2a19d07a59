namespace GradDescent.Storage.Queries;

/// <summary>
/// A trial filter or sort cannot be used: a syntax error, an unknown name or a value of the wrong type. The message
/// names the 1-based character position, e.g. <c>filter: position 12: unknown name 'lr' (known: ...)</c>.
/// </summary>
public sealed class TrialQueryException(string part, int position, string problem)
    : ArgumentException($"{part}: position {position}: {problem}")
{
    /// <summary><c>filter</c> or <c>sort</c>.</summary>
    public string Part { get; } = part;

    /// <summary>1-based character position in the filter or sort text.</summary>
    public int Position { get; } = position;

    public string Problem { get; } = problem;
}
