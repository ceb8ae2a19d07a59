namespace GradDescent.Abstractions.Files;

/// <summary>An input file that passed <see cref="FileGate"/>'s checks; read it with <see cref="FileGate.ReadAllBytes"/>.</summary>
/// <param name="Parameter">The parameter that named it (errors name it).</param>
/// <param name="RequestedPath">The path as given.</param>
/// <param name="FullPath">The path with every symbolic link resolved; inside a root.</param>
/// <param name="Length">Size in bytes when checked.</param>
/// <param name="LastWriteUtc">Last modification when checked.</param>
public sealed record ConfinedFile(string Parameter, string RequestedPath, string FullPath, long Length, DateTime LastWriteUtc)
{
    /// <summary>Identifies this version of the file: resolved path, modification time and size.</summary>
    public string Identity => $"{FullPath}@{LastWriteUtc.Ticks}:{Length}";
}
