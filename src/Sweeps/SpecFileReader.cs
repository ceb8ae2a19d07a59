using System.Text;
using GradDescent.Abstractions.Files;

namespace GradDescent.Sweeps;

/// <summary>
/// Reads a spec file for <see cref="SweepSpecParser.ParseFile"/>: a regular file only (a FIFO would block the reader
/// forever, a device never end), no larger than the spec size limit, decoded as UTF-8.
/// </summary>
internal static class SpecFileReader
{
    /// <exception cref="SweepSpecException">The file is missing, not a regular file, too large or unreadable.</exception>
    public static string Read(string path, int maxBytes)
    {
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Problem(path, "not a valid file path", ex);
        }

        string? resolved;
        try
        {
            resolved = FileStat.RealPath(fullPath);
        }
        catch (IOException ex)
        {
            throw Problem(path, $"cannot read the sweep spec: {ex.Message}", ex);
        }

        var (kind, length, _) = resolved is null ? (FileKind.Missing, 0L, default(DateTime)) : FileStat.Of(resolved);
        switch (kind)
        {
            case FileKind.Missing:
                throw Problem(path, "sweep spec file not found");
            case FileKind.Directory:
                throw Problem(path, "is a folder, not a sweep spec file");
            case FileKind.Other:
                throw Problem(path, "is not a regular file (a device, FIFO or socket)");
        }

        if (length > maxBytes)
        {
            throw SpecText.TooLarge(path, length, maxBytes);
        }

        try
        {
            using var handle = FileStat.OpenRead(resolved!);
            var (openedKind, openedLength) = FileStat.Of(handle);
            if (openedKind != FileKind.Regular)
            {
                throw Problem(path, "is not a regular file (a device, FIFO or socket)");
            }

            if (openedLength > maxBytes)
            {
                throw SpecText.TooLarge(path, openedLength, maxBytes);
            }

            var buffer = new byte[maxBytes + 1];
            var total = 0;
            int count;
            while (total < buffer.Length && (count = RandomAccess.Read(handle, buffer.AsSpan(total), total)) > 0)
            {
                total += count;
            }

            if (total > maxBytes)
            {
                throw SpecText.TooLarge(path, total, maxBytes);
            }

            var bom = buffer.AsSpan(0, total).StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            return Encoding.UTF8.GetString(buffer, bom, total - bom);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Problem(path, ex is FileNotFoundException ? "sweep spec file not found" : $"cannot read the sweep spec: {(ex is UnauthorizedAccessException ? "permission denied" : ex.Message)}", ex);
        }
    }

    private static SweepSpecException Problem(string path, string problem, Exception? inner = null)
    {
        var error = new SweepSpecError(string.Empty, null, null, problem);
        return inner is null ? new SweepSpecException(path, [error]) : new SweepSpecException(path, error, inner);
    }
}
