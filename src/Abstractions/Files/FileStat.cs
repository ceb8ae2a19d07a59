using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GradDescent.Abstractions.Files;

/// <summary>What a path or an open file is, as the file system says (Linux: <c>statx</c>, <c>realpath</c>, <c>open</c>).</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    Other,
}

/// <summary>
/// The few POSIX calls the file gate needs and .NET does not expose: the type of a file (a FIFO or a device looks like
/// an empty regular file to <see cref="FileInfo"/>), <c>realpath</c>, and opening without blocking on a FIFO and
/// without following a symbolic link. Elsewhere than Linux it falls back to managed approximations.
/// </summary>
internal static partial class FileStat
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;
    private const ushort TypeMask = 0xF000;
    private const ushort RegularType = 0x8000;
    private const ushort DirectoryType = 0x4000;
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800;
    private const int OpenCloseOnExec = 0x80000;
    private const int NoSuchEntry = 2;

    public static bool Native => OperatingSystem.IsLinux();

    /// <summary>The type, size and modification time of <paramref name="path"/> itself (a symbolic link is not followed).</summary>
    public static (FileKind Kind, long Length, DateTime LastWriteUtc) Of(string path)
    {
        if (Native)
        {
            var buffer = new byte[StatxSize];
            return StatX(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) == 0 ? Decode(buffer) : (FileKind.Missing, 0, default);
        }

        var info = new FileInfo(path);
        if (info.Attributes.HasFlag(FileAttributes.Directory) && Directory.Exists(path))
        {
            return (FileKind.Directory, 0, Directory.GetLastWriteTimeUtc(path));
        }

        return info.Exists ? (info.Length > 0 ? FileKind.Regular : FileKind.Other, info.Length, info.LastWriteTimeUtc) : (FileKind.Missing, 0, default);
    }

    /// <summary>The type and size of an open file.</summary>
    public static (FileKind Kind, long Length) Of(SafeFileHandle handle)
    {
        if (!Native)
        {
            return (FileKind.Regular, RandomAccess.GetLength(handle));
        }

        var buffer = new byte[StatxSize];
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var (kind, length, _) = StatX((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxBasicStats, buffer) == 0
                ? Decode(buffer)
                : (FileKind.Missing, 0L, default);
            return (kind, length);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The absolute path with every symbolic link resolved, or null when some part of it does not exist.</summary>
    /// <exception cref="IOException">The path cannot be resolved for another reason (a loop, no permission).</exception>
    public static string? RealPath(string fullPath)
    {
        if (!Native)
        {
            return ManagedRealPath(fullPath);
        }

        var resolved = RealPathNative(fullPath, 0);
        if (resolved == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == NoSuchEntry ? null : throw new IOException(Marshal.GetPInvokeErrorMessage(errno));
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    /// <summary>
    /// Opens for reading without following a symbolic link in the last component and without waiting for a writer if
    /// the file turned into a FIFO since it was checked.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static SafeFileHandle OpenRead(string fullPath)
    {
        if (!Native)
        {
            return File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        }

        var fd = Open(fullPath, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec | NoFollowFlag(), 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == NoSuchEntry ? new FileNotFoundException(null, fullPath) : new IOException(Marshal.GetPInvokeErrorMessage(errno));
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Where an open file really is (Linux: <c>/proc/self/fd</c>); null when that cannot be told.</summary>
    public static string? PathOf(SafeFileHandle handle)
    {
        if (!Native)
        {
            return null;
        }

        var link = new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}");
        return link.LinkTarget;
    }

    private static (FileKind Kind, long Length, DateTime LastWriteUtc) Decode(byte[] statx)
    {
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(statx.AsSpan(28));
        var length = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(statx.AsSpan(40)));
        var seconds = BinaryPrimitives.ReadInt64LittleEndian(statx.AsSpan(112));
        var nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(statx.AsSpan(120));
        var lastWrite = DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(nanoseconds / 100);
        var kind = (mode & TypeMask) switch
        {
            RegularType => FileKind.Regular,
            DirectoryType => FileKind.Directory,
            _ => FileKind.Other,
        };
        return (kind, length, lastWrite);
    }

    private static int NoFollowFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x20000,
        Architecture.Arm64 or Architecture.Arm => 0x8000,
        _ => 0,
    };

    private static string? ManagedRealPath(string fullPath)
    {
        var info = new FileInfo(fullPath);
        if (!info.Exists && !Directory.Exists(fullPath))
        {
            return null;
        }

        return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(fullPath);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatX(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint RealPathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);
}
