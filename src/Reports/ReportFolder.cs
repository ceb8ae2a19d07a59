namespace GradDescent.Reports;

/// <summary>Builds a folder atomically: everything is written into a temporary sibling, which then replaces the target.</summary>
public static class ReportFolder
{
    /// <param name="target">The folder to (re)place.</param>
    /// <param name="build">Writes the folder's content into the folder it is given.</param>
    /// <returns>The full path of the finished folder.</returns>
    public static async Task<string> WriteAsync(string target, Func<string, Task> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var full = Path.GetFullPath(target);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"report folder '{target}' has no parent folder", nameof(target));
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temporary);
        try
        {
            await build(temporary).ConfigureAwait(false);
            if (Directory.Exists(full))
            {
                // Swap the old report aside first so the target never holds a mix of old and new files.
                var old = $"{temporary}.old";
                Directory.Move(full, old);
                Directory.Move(temporary, full);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temporary, full);
            }

            return full;
        }
        catch
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }

            throw;
        }
    }
}
