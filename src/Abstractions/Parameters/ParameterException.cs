namespace GradDescent.Abstractions.Parameters;

/// <summary>A trial parameter is unknown, missing, of the wrong type or out of range.</summary>
public sealed class ParameterException(string parameter, string problem)
    : ArgumentException($"parameter '{parameter}': {problem}")
{
    /// <summary>The snake_case name of the offending parameter.</summary>
    public string Parameter { get; } = parameter;

    public string Problem { get; } = problem;
}
