using System.Runtime.InteropServices;

namespace GradDescent.Workers.Devices;

/// <summary>
/// Keeps glibc from handing large freed blocks back to the operating system. Batched tensor code
/// allocates and frees multi-megabyte buffers on every step; with glibc's defaults each of them is
/// a fresh <c>mmap</c> whose pages fault in again (about 12 µs a fault on our VMs), which made
/// batched PyTorch 4× slower until the thresholds were raised. TorchSharp's native library uses the
/// same allocator, so the worker host calls <see cref="Apply"/> once at start-up.
/// </summary>
public static class NativeMemoryTuning
{
    /// <summary>Blocks below this size come from the heap, not a private <c>mmap</c>.</summary>
    public const int MmapThresholdBytes = 256 * 1024 * 1024;

    /// <summary>Free memory at the top of the heap is returned to the OS only above this size.</summary>
    public const int TrimThresholdBytes = 512 * 1024 * 1024;

    private const int MallocTrimThreshold = -1;
    private const int MallocMmapThreshold = -3;

    private static readonly Lazy<bool> Applied = new(ApplyOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Raises glibc's mmap and trim thresholds (<c>mallopt</c>) once per process; later calls return
    /// the first call's answer. A no-op off Linux or on a C library other than glibc.
    /// </summary>
    /// <returns>True when both thresholds are in effect.</returns>
    public static bool Apply() => Applied.Value;

    private static bool ApplyOnce()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return Mallopt(MallocMmapThreshold, MmapThresholdBytes) == 1 && Mallopt(MallocTrimThreshold, TrimThresholdBytes) == 1;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport: blittable ints need no marshalling, and LibraryImport
    // would require unsafe code in the whole project.
    [DllImport("libc.so.6", EntryPoint = "mallopt", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int parameter, int value);
}
