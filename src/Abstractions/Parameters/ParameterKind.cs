namespace GradDescent.Abstractions.Parameters;

/// <summary>The type of a trial parameter, as checked before any math runs.</summary>
public enum ParameterKind
{
    Integer,
    Real,
    Boolean,
    Choice,
    Path,
}
