using GradDescent.Workers.Devices;
using Xunit;

namespace GradDescent.Workers.Tests.Devices;

public sealed class NativeMemoryTuningTests
{
    [Fact]
    public void Apply_OnLinuxGlibc_SetsThresholdsAndIsIdempotent()
    {
        // The test machines run Debian (glibc), where mallopt accepts both thresholds.
        Assert.True(NativeMemoryTuning.Apply());
        Assert.True(NativeMemoryTuning.Apply());
    }
}
