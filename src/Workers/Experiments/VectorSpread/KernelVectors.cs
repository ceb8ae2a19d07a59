using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>Small per-vector helpers of the CPU kernel (one lane per SIMD element).</summary>
internal static class KernelVectors
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector<float> Length(ReadOnlySpan<Vector<float>> x)
    {
        var squares = Vector<float>.Zero;
        foreach (var component in x)
        {
            squares += component * component;
        }

        return Vector.SquareRoot(squares);
    }

    /// <summary>Writes x/‖x‖ to <paramref name="unit"/> and returns ‖x‖.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector<float> Normalize(ReadOnlySpan<Vector<float>> x, Span<Vector<float>> unit)
    {
        var length = Length(x);
        for (var k = 0; k < x.Length; k++)
        {
            unit[k] = x[k] / length;
        }

        return length;
    }
}
