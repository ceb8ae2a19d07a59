using System.Globalization;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Abstractions.Files;

/// <summary>
/// The one way file parameters reach the file system. A path is made absolute (relative to the working directory),
/// every symbolic link in it is resolved, and the result must lie inside one of the configured roots; inputs must be
/// regular files (not folders, devices, FIFOs or sockets) no larger than <see cref="FileAccessOptions.MaxFileBytes"/>,
/// and are read within <see cref="FileAccessOptions.ReadTimeout"/>. Outputs are written atomically (a new temporary
/// file renamed over the target), so a symbolic link planted at the target is replaced, never followed.
/// Every problem is a <see cref="ParameterException"/> naming the parameter and the path as given; no error ever
/// carries a byte of a file's content. docs/security.md describes the threat model.
/// </summary>
public sealed class FileGate
{
    private const int ChunkBytes = 64 * 1024;

    private readonly string[] roots;
    private readonly TimeProvider time;

    public FileGate(FileAccessOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFileBytes, 1, nameof(options.MaxFileBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ReadTimeout, TimeSpan.Zero, nameof(options.ReadTimeout));
        roots = [.. options.Roots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(ResolveRoot).Distinct(StringComparer.Ordinal)];
        MaxFileBytes = options.MaxFileBytes;
        ReadTimeout = options.ReadTimeout;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>A gate with no roots: every file parameter is refused.</summary>
    public static FileGate Closed { get; } = new(new FileAccessOptions());

    /// <summary>The roots, absolute and with symbolic links resolved.</summary>
    public IReadOnlyList<string> Roots => roots;

    public long MaxFileBytes { get; }

    public TimeSpan ReadTimeout { get; }

    /// <summary>Checks a path the way its parameter will use it, without reading or creating anything.</summary>
    /// <exception cref="ParameterException">The path may not be used.</exception>
    public void Check(ParameterDefinition definition, string path)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.PathUse == PathUse.WriteFolder)
        {
            ResolveOutputFolder(definition.Name, path);
        }
        else
        {
            ResolveInput(definition.Name, path);
        }
    }

    /// <summary>Checks an input file: inside a root, a regular file, within the size cap. Reads nothing.</summary>
    /// <exception cref="ParameterException">The file may not or cannot be used.</exception>
    public ConfinedFile ResolveInput(string parameter, string path)
    {
        var resolved = Confine(parameter, path);
        if (resolved is null)
        {
            throw new ParameterException(parameter, $"'{path}': file not found");
        }

        var (kind, length, lastWrite) = FileStat.Of(resolved);
        switch (kind)
        {
            case FileKind.Missing:
                throw new ParameterException(parameter, $"'{path}': file not found");
            case FileKind.Directory:
                throw new ParameterException(parameter, $"'{path}' is a folder, expected a file");
            case FileKind.Other:
                throw new ParameterException(parameter, $"'{path}' is not a regular file (a device, FIFO or socket)");
        }

        CheckSize(parameter, path, length);
        return new ConfinedFile(parameter, path, resolved, length, lastWrite);
    }

    /// <summary>
    /// Reads a checked file whole: opened again without following links or waiting on a FIFO, checked again (still a
    /// regular file inside a root), read in chunks up to the size cap, within the read timeout.
    /// </summary>
    /// <exception cref="ParameterException">The file changed into something that may not be read, grew past the cap, could not be read, or took too long.</exception>
    public byte[] ReadAllBytes(ConfinedFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return WithTimeout(file.Parameter, file.RequestedPath, () => Read(file, stop.Token), stop, cancellationToken);
    }

    /// <summary>Checks an output folder: inside a root (its existing part resolved), and a folder if it exists. Creates nothing.</summary>
    /// <exception cref="ParameterException">The folder may not be used.</exception>
    public ConfinedFolder ResolveOutputFolder(string parameter, string path)
    {
        var full = FullPath(parameter, path);
        var resolved = ResolveExistingPart(parameter, path, full);
        RequireInsideRoot(parameter, path, resolved);
        if (FileStat.Of(resolved).Kind is FileKind.Regular or FileKind.Other)
        {
            throw new ParameterException(parameter, $"'{path}' is a file, not a folder");
        }

        return new ConfinedFolder(parameter, path, resolved);
    }

    /// <summary>
    /// Writes <paramref name="content"/> as <paramref name="fileName"/> in the folder (created if missing): into a new
    /// temporary file, then renamed over the target.
    /// </summary>
    /// <returns>The written file's full path.</returns>
    /// <exception cref="ParameterException">The folder cannot be created or left the roots, or the file cannot be written.</exception>
    public string WriteFile(ConfinedFolder folder, string fileName, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (fileName.Length == 0 || fileName != Path.GetFileName(fileName) || fileName is "." or "..")
        {
            throw new ArgumentException($"'{fileName}' is not a plain file name", nameof(fileName));
        }

        var (parameter, path) = (folder.Parameter, folder.RequestedPath);
        try
        {
            Directory.CreateDirectory(folder.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ParameterException(parameter, $"'{path}': cannot create the folder ({Reason(e)})");
        }

        // Resolved again after creating it: a part of the path swapped for a link meanwhile must not lead outside.
        var resolved = FileStat.RealPath(folder.FullPath) ?? throw new ParameterException(parameter, $"'{path}': the folder vanished while writing");
        RequireInsideRoot(parameter, path, resolved);
        var target = Path.Combine(resolved, fileName);
        var temporary = Path.Combine(resolved, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
            }

            File.Move(temporary, target, overwrite: true);
            return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new ParameterException(parameter, $"'{path}': cannot write {fileName} ({Reason(e)})");
        }
    }

    private string? Confine(string parameter, string path)
    {
        var full = FullPath(parameter, path);
        var resolved = RealPath(parameter, path, full, full);

        // A missing file outside the roots gets the same answer as an existing one: no probing for what exists.
        RequireInsideRoot(parameter, path, resolved ?? full);
        return resolved;
    }

    private byte[] Read(ConfinedFile file, CancellationToken cancellationToken)
    {
        var (parameter, path) = (file.Parameter, file.RequestedPath);
        try
        {
            using var handle = FileStat.OpenRead(file.FullPath);
            var (kind, length) = FileStat.Of(handle);
            if (kind != FileKind.Regular)
            {
                throw new ParameterException(parameter, $"'{path}' is not a regular file (a device, FIFO or socket)");
            }

            if (FileStat.PathOf(handle) is { } opened)
            {
                RequireInsideRoot(parameter, path, opened);
            }

            CheckSize(parameter, path, length);
            using var content = new MemoryStream(checked((int)Math.Min(length, Math.Min(MaxFileBytes, Array.MaxLength))));
            var chunk = new byte[ChunkBytes];
            int count;
            while ((count = RandomAccess.Read(handle, chunk, content.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (content.Length + count > MaxFileBytes)
                {
                    throw new ParameterException(parameter, $"'{path}' grew past the limit of {Bytes(MaxFileBytes)} while being read (GradDescent:Files:MaxFileBytes)");
                }

                content.Write(chunk, 0, count);
            }

            return content.ToArray();
        }
        catch (FileNotFoundException)
        {
            throw new ParameterException(parameter, $"'{path}': file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ParameterException(parameter, $"'{path}' cannot be read ({Reason(e)})");
        }
    }

    /// <summary>Runs a blocking read on the thread pool and gives up waiting after the read timeout.</summary>
    internal T WithTimeout<T>(string parameter, string path, Func<T> read, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        var task = Task.Run(read, stop.Token);
        try
        {
            return task.WaitAsync(ReadTimeout, time, cancellationToken).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            // The read is abandoned (a blocked system call cannot be interrupted); the caller's slot is free again.
            stop.Cancel();
            _ = task.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new ParameterException(parameter, $"'{path}': reading took longer than {ReadTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (GradDescent:Files:ReadTimeout)");
        }
    }

    private static string FullPath(string parameter, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ParameterException(parameter, "expected a file path");
        }

        if (path.AsSpan().ContainsAnyInRange('\0', '\u001f') || path.Contains('\u007f', StringComparison.Ordinal))
        {
            throw new ParameterException(parameter, "a file path must not contain control characters");
        }

        try
        {
            return Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ParameterException(parameter, $"'{path}' is not a valid path");
        }
    }

    private string ResolveExistingPart(string parameter, string path, string full)
    {
        var missing = new Stack<string>();
        var existing = full;
        while (true)
        {
            if (RealPath(parameter, path, full, existing) is { } resolved)
            {
                return missing.Aggregate(resolved, Path.Combine);
            }

            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                RequireInsideRoot(parameter, path, full);
                throw new ParameterException(parameter, $"'{path}' cannot be resolved");
            }

            missing.Push(Path.GetFileName(existing));
            existing = parent;
        }
    }

    /// <summary><paramref name="existing"/> resolved, or null when missing; a path that cannot be resolved is refused (as outside first, if it is).</summary>
    private string? RealPath(string parameter, string path, string full, string existing)
    {
        try
        {
            return FileStat.RealPath(existing);
        }
        catch (IOException e)
        {
            RequireInsideRoot(parameter, path, full);
            throw new ParameterException(parameter, $"'{path}' cannot be resolved ({e.Message})");
        }
    }

    private void RequireInsideRoot(string parameter, string path, string resolved)
    {
        if (roots.Length == 0)
        {
            throw new ParameterException(parameter, $"'{path}': file parameters are disabled here (no folders are allowed: set GradDescent__Files__Roots__0)");
        }

        if (!roots.Any(root => IsInside(resolved, root)))
        {
            throw new ParameterException(parameter, $"'{path}' is outside the folders file parameters may use ({string.Join(", ", roots)})");
        }
    }

    private void CheckSize(string parameter, string path, long length)
    {
        if (length > MaxFileBytes)
        {
            throw new ParameterException(parameter, $"'{path}' is {Bytes(length)}, more than the limit of {Bytes(MaxFileBytes)} (GradDescent:Files:MaxFileBytes)");
        }
    }

    private static bool IsInside(string path, string root) =>
        root == Path.GetPathRoot(root)
            ? path.StartsWith(root, StringComparison.Ordinal)
            : path.Length == root.Length ? path == root : path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string ResolveRoot(string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        try
        {
            return FileStat.RealPath(full) ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }

    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "a folder on the way does not exist",
        _ => e.Message,
    };

    private static string Bytes(long count) => string.Create(CultureInfo.InvariantCulture, $"{count:N0} bytes");
}
