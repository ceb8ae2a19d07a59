using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The energy objective for the CPU kernel: J = −(N/2s)·log Σ_{i&lt;j} d̃_ij^(−s) on the unit vectors
/// n_i = v_i/‖v_i‖, computed as a log-sum-exp around the smallest d̃² so no power overflows, with its
/// gradient by hand: q_ij = d̃_ij^(−s)/Σ d̃^(−s) (the pairs' shares of the energy),
/// ∂J/∂n_i = (N/2)·Σ_j q_ij r̃_ij/d̃²_ij (0 for a floored pair), ∂J/∂v_i = P_i ∂J/∂n_i / ‖v_i‖.
/// </summary>
internal sealed class KernelEnergy : IKernelObjective
{
    private static readonly Vector<float> MinusHalf = new(-0.5f);

    private readonly int vectors;
    private readonly int dims;
    private readonly KernelPairs pairs;
    private readonly Vector<float>[] normals;
    private readonly Vector<float>[] norms;
    private readonly Vector<float>[] push;
    private readonly Vector<float> halfVectors;

    public KernelEnergy(int vectors, int dims)
    {
        (this.vectors, this.dims) = (vectors, dims);
        pairs = new KernelPairs(vectors, dims);
        normals = new Vector<float>[vectors * dims];
        norms = new Vector<float>[vectors];
        push = new Vector<float>[vectors * dims];
        halfVectors = new Vector<float>(0.5f * vectors);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vector<float> Evaluate(ReadOnlySpan<Vector<float>> points, Vector<float> exponent, Span<Vector<float>> gradient, out Vector<float> objective)
    {
        var d = dims;
        for (var i = 0; i < vectors; i++)
        {
            norms[i] = KernelVectors.Normalize(points.Slice(i * d, d), normals.AsSpan(i * d, d));
        }

        var closest = pairs.Fill(normals);
        var smallest = new Vector<float>(float.PositiveInfinity);
        foreach (var squared in pairs.Squared)
        {
            smallest = Vector.Min(smallest, squared);
        }

        var logSmallest = Vector.Log(smallest);
        var halfS = MinusHalf * exponent;
        var total = Vector<float>.Zero;
        var withGradient = !gradient.IsEmpty;
        if (withGradient)
        {
            Array.Clear(push);
        }

        var p = 0;
        for (var i = 0; i < vectors; i++)
        {
            for (var j = i + 1; j < vectors; j++, p++)
            {
                var squared = pairs.Squared[p];
                var share = KernelVectors.Exp(halfS * (Vector.Log(squared) - logSmallest));
                total += share;
                if (withGradient)
                {
                    var coefficient = Vector.AndNot(share / squared, pairs.Floored[p]);
                    for (var k = 0; k < d; k++)
                    {
                        var x = coefficient * pairs.Differences[(p * d) + k];
                        push[(i * d) + k] += x;
                        push[(j * d) + k] -= x;
                    }
                }
            }
        }

        // log Σ d̃^(−s) = −(s/2)·log d̃²_min + log Σ exp(−(s/2)(log d̃² − log d̃²_min))
        var logEnergy = (halfS * logSmallest) + Vector.Log(total);
        objective = -(halfVectors * logEnergy / exponent);
        if (withGradient)
        {
            var scale = halfVectors / total;
            for (var i = 0; i < vectors; i++)
            {
                var n = normals.AsSpan(i * d, d);
                var g = gradient.Slice(i * d, d);
                var along = Vector<float>.Zero;
                for (var k = 0; k < d; k++)
                {
                    g[k] = push[(i * d) + k] * scale;
                    along += g[k] * n[k];
                }

                for (var k = 0; k < d; k++)
                {
                    g[k] = (g[k] - (along * n[k])) / norms[i];
                }
            }
        }

        return closest;
    }
}
