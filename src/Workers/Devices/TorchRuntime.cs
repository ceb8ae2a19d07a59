using TorchSharp;

namespace GradDescent.Workers.Devices;

/// <summary>Process-wide native settings applied once before any tensor work.</summary>
public static class TorchRuntime
{
    private static int configured;

    /// <summary>Raises glibc's allocation thresholds and sets libtorch's intra-op thread count (0: its default).</summary>
    public static void Configure(int torchThreads)
    {
        if (Interlocked.Exchange(ref configured, 1) == 1)
        {
            return;
        }

        NativeMemoryTuning.Apply();
        if (torchThreads > 0)
        {
            torch.set_num_threads(torchThreads);
        }
    }
}
