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

    private static readonly Vector<float> Log2E = new(1.44269504f);
    private static readonly Vector<float> Ln2High = new(0.693359375f);
    private static readonly Vector<float> Ln2Low = new(-2.12194440e-4f);
    private static readonly Vector<float> SmallestExponent = new(-126f);
    private static readonly Vector<float> LargestExponent = new(127f);
    private static readonly Vector<float> Underflow = new(-87f);

    /// <summary>
    /// e^x lane by lane, to about 2e-7 relative, for −87 ≤ x ≤ 88 (0 below −87, where e^x &lt; 2e-38):
    /// x = n·ln 2 + r with n = round(x·log2 e) and r computed with ln 2 split in two (Cody and Waite) so
    /// it stays exact, e^r (|r| ≤ 0.347) by its degree-6 Taylor polynomial (error ≤ 0.347⁷/7! ≈ 1.2e-7),
    /// times 2^n built in the exponent bits. <see cref="Vector.Exp(Vector{float})"/> computes in double
    /// precision and is several times slower, which showed in the energy kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector<float> Exp(Vector<float> x)
    {
        var n = Vector.Min(Vector.Max(Vector.Floor((x * Log2E) + new Vector<float>(0.5f)), SmallestExponent), LargestExponent);
        var r = x - (n * Ln2High) - (n * Ln2Low);
        var p = new Vector<float>(1f / 720);
        p = (p * r) + new Vector<float>(1f / 120);
        p = (p * r) + new Vector<float>(1f / 24);
        p = (p * r) + new Vector<float>(1f / 6);
        p = (p * r) + new Vector<float>(0.5f);
        p = (p * r) + Vector<float>.One;
        p = (p * r) + Vector<float>.One;
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        return Vector.ConditionalSelect(Vector.LessThan(x, Underflow), Vector<float>.Zero, p * scale);
    }
}
