using TorchSharp;

namespace GradDescent.Workers.Devices;

/// <summary>Process-wide native settings applied once before any tensor work.</summary>
public static class TorchRuntime
{
    private static readonly Lazy<bool> Loaded = new(LoadOnce, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int configured;

    /// <summary>
    /// Starts loading libtorch (and raising glibc's allocation thresholds) on a thread-pool thread, so a host that
    /// will run trials overlaps the native load (hundreds of milliseconds of CPU) with its own start (silo, store,
    /// schema). <see cref="Configure"/> waits for it. A failed load is left to <see cref="Configure"/> to report.
    /// </summary>
    public static void Preload() => _ = Task.Run(() =>
    {
        try
        {
            _ = Loaded.Value;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            // The worker's own call throws the same error where it is handled.
        }
    });

    /// <summary>
    /// Raises glibc's allocation thresholds, loads libtorch for the CPU (waiting for a <see cref="Preload"/> under
    /// way) and sets libtorch's intra-op thread count (0: its default).
    /// </summary>
    public static void Configure(int torchThreads)
    {
        _ = Loaded.Value;
        if (Interlocked.Exchange(ref configured, 1) == 1)
        {
            return;
        }

        if (torchThreads > 0)
        {
            torch.set_num_threads(torchThreads);
        }
    }

    private static bool LoadOnce()
    {
        NativeMemoryTuning.Apply();
        torch.InitializeDeviceType(DeviceType.CPU);
        return true;
    }
}
