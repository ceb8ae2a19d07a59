using System.Numerics;
using GradDescent.Workers.Experiments.VectorSpread;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

public sealed class KernelVectorsTests
{
    /// <summary>The kernel's exp matches double-precision exp to 3e-7 (relative) from e^−86.9 to e^80, lane by lane.</summary>
    [Fact]
    public void Exp_AcrossTheFloatRange_WithinThreeTenMillionths()
    {
        var worst = 0.0;
        for (var x = -86.9; x <= 80.0; x += 0.0137)
        {
            var lanes = new float[Vector<float>.Count];
            for (var w = 0; w < lanes.Length; w++)
            {
                lanes[w] = (float)(x + (w * 0.001));
            }

            var result = KernelVectors.Exp(new Vector<float>(lanes));
            for (var w = 0; w < lanes.Length; w++)
            {
                var expected = Math.Exp(lanes[w]);
                worst = Math.Max(worst, Math.Abs(result[w] - expected) / expected);
            }
        }

        Assert.True(worst < 3e-7, $"largest relative error {worst}");
    }

    [Fact]
    public void Exp_BelowTheFloatRange_IsZero()
    {
        var result = KernelVectors.Exp(new Vector<float>(-1000f));

        Assert.Equal(Vector<float>.Zero, result);
    }
}
