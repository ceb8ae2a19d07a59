using GradDescent.Abstractions.Files;
using GradDescent.Workers.FileAccess;
using Microsoft.Extensions.DependencyInjection;

namespace GradDescent.Silo.Commands;

/// <summary>
/// The folders a local-mode command adds to the configured file roots (<c>GradDescent__Files__Roots__N</c>): the
/// working directory, and the spec's folder for <c>run</c> and <c>validate</c> (<c>resume</c>: the stored spec's
/// folder, if it still exists, added once the sweep is read). Cluster workers add none (docs/security.md).
/// </summary>
public sealed class LocalFileRoots
{
    private readonly List<string> folders = [];

    public LocalFileRoots(IEnumerable<string?> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        foreach (var folder in folders)
        {
            Add(folder);
        }
    }

    public IReadOnlyList<string> Folders => folders;

    /// <summary>The spec's folder (if its path is usable) and the working directory.</summary>
    public static LocalFileRoots ForSpec(string? specPath) => new([FolderOf(specPath), Environment.CurrentDirectory]);

    /// <summary>The folder holding <paramref name="path"/>, made absolute; null when the path is unusable.</summary>
    public static string? FolderOf(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            return Path.GetDirectoryName(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    /// <summary>Adds a folder (ignored when null or already there). Takes effect if called before the file gate is first used.</summary>
    public void Add(string? folder)
    {
        if (!string.IsNullOrWhiteSpace(folder) && !folders.Contains(folder, StringComparer.Ordinal))
        {
            folders.Add(folder);
        }
    }

    /// <summary>Registers these roots and the <see cref="FileGate"/> that adds them to the configured ones when first resolved.</summary>
    public void AddTo(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(this);
        services.AddGradDescentFileAccess();
        services.AddOptions<FileAccessOptions>().PostConfigure<LocalFileRoots>((options, roots) => options.Roots.AddRange(roots.Folders));
    }
}
