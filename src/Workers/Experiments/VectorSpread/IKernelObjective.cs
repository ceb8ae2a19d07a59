using System.Numerics;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>One objective of the CPU kernel, for a group of lanes (one per SIMD element), with its analytic gradient.</summary>
internal interface IKernelObjective
{
    /// <summary>
    /// Evaluates each lane's objective at <paramref name="vectors"/> ([N, D], any non-zero lengths)
    /// and, unless <paramref name="gradient"/> is empty, its gradient with respect to them ([N, D]).
    /// </summary>
    /// <param name="exponent">energy: each lane's Riesz exponent; ignored otherwise.</param>
    /// <returns>Each lane's smallest squared distance between two of the unit vectors (for the minimum angle).</returns>
    Vector<float> Evaluate(ReadOnlySpan<Vector<float>> vectors, Vector<float> exponent, Span<Vector<float>> gradient, out Vector<float> objective);
}
