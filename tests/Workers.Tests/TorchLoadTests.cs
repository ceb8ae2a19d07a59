using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests;

public sealed class TorchLoadTests
{
    [Fact]
    public void Tensor_Add_ComputesOnCpu()
    {
        using var a = torch.tensor(new float[] { 1, 2, 3 });
        using var b = a + 1;
        Assert.Equal(new float[] { 2, 3, 4 }, b.data<float>().ToArray());
    }
}
