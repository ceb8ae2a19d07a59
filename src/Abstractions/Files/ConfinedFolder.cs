namespace GradDescent.Abstractions.Files;

/// <summary>An output folder that passed <see cref="FileGate"/>'s checks; write into it with <see cref="FileGate.WriteFile"/>.</summary>
/// <param name="Parameter">The parameter that named it (errors name it).</param>
/// <param name="RequestedPath">The path as given.</param>
/// <param name="FullPath">The path with every symbolic link of its existing part resolved; inside a root.</param>
public sealed record ConfinedFolder(string Parameter, string RequestedPath, string FullPath);
