using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Devices;

/// <summary>
/// Tensor arithmetic whose native <see cref="Scalar"/>s stay alive until libtorch is done with them.
/// A TorchSharp <see cref="Scalar"/> is a raw native pointer with a finalizer: one created
/// implicitly from a number (<c>t * 0.5</c>, <c>t.clamp_max(1.0)</c>) is unreachable as soon as its
/// handle is read, so a collection during the native call can free it while libtorch still reads
/// it. TorchSharp also creates such Scalars itself: <c>a + b</c>, <c>add(Tensor)</c>,
/// <c>add_(Tensor)</c> and <c>add(Scalar)</c> pass a hidden alpha of 1, <c>square()</c> a hidden
/// exponent of 2, and <c>number - tensor</c> goes through <c>add(Scalar)</c>. These methods pass
/// process-lifetime Scalars (or a per-call Scalar disposed after the call) instead, computing
/// exactly what the TorchSharp call they replace computes. docs/torchsharp-notes.md states the rule.
/// </summary>
/// <remarks>
/// Creating a Scalar loads the native library (<c>torch.InitializeDeviceType</c>), so the fields
/// below are created on first use of this type, as any tensor operation would load it.
/// </remarks>
internal static class ScalarArithmetic
{
    /// <summary>The integer 1, as TorchSharp's own <c>add</c> passes for alpha; never finalized.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 2, the exponent TorchSharp's <c>square()</c> passes; never finalized.</summary>
    private static readonly Scalar Two = 2.ToScalar();

    /// <summary><c>left + right</c>.</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><c>left += right</c>; returns <paramref name="left"/>.</summary>
    public static Tensor PlusInPlace(this Tensor left, Tensor right) => left.add_(right, One);

    /// <summary><c>left + right</c> for a Scalar the caller keeps alive.</summary>
    public static Tensor Plus(this Tensor left, Scalar right) => left.add(right, One);

    /// <summary><c>left += right</c> for a Scalar the caller keeps alive; returns <paramref name="left"/>.</summary>
    public static Tensor PlusInPlace(this Tensor left, Scalar right) => left.add_(right, One);

    /// <summary><c>1 - tensor</c>, computed as TorchSharp's <c>1.0 - tensor</c> does (<c>-tensor + 1</c>).</summary>
    public static Tensor OneMinus(this Tensor tensor) => tensor.neg().add_(One, One);

    /// <summary><c>tensor²</c>, as TorchSharp's <c>square()</c> (<c>pow(2)</c>).</summary>
    public static Tensor Squared(this Tensor tensor) => tensor.pow(Two);

    /// <summary><c>tensor * factor</c> for a number that changes between calls.</summary>
    public static Tensor Times(this Tensor tensor, double factor)
    {
        using var scalar = factor.ToScalar();
        return tensor.mul(scalar);
    }

    /// <summary><c>tensor *= factor</c> for a number that changes between calls; returns <paramref name="tensor"/>.</summary>
    public static Tensor TimesInPlace(this Tensor tensor, double factor)
    {
        using var scalar = factor.ToScalar();
        return tensor.mul_(scalar);
    }

    /// <summary><c>tensor ^ exponent</c> for a number that changes between calls.</summary>
    public static Tensor Power(this Tensor tensor, double exponent)
    {
        using var scalar = exponent.ToScalar();
        return tensor.pow(scalar);
    }
}
