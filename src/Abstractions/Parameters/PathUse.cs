namespace GradDescent.Abstractions.Parameters;

/// <summary>What a <see cref="ParameterKind.Path"/> parameter does with its path.</summary>
public enum PathUse
{
    /// <summary>Reads one file (a CSV, an image, a model).</summary>
    ReadFile,

    /// <summary>Writes files into a folder, creating it if needed.</summary>
    WriteFolder,
}
