using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The article's tangential-force objective J = −Σ_i ‖T_i‖ for the CPU kernel, with its gradient
/// written out by hand (the tensor program gets it from autograd; tests hold the two equal).
/// With u_i = ρ·v_i/‖v_i‖ (ρ = 0.999), r̃_ij the kicked differences, w_ij = d̃_ij^−3,
/// F_i = Σ_j w_ij r̃_ij, m_i = u_i/‖u_i‖, T_i = F_i − (F_i·m_i) m_i and t̂_i = T_i/‖T_i‖ (0 where T_i = 0):
/// <code>
/// ∂‖T‖/∂u_i = Σ_j X_ij − Σ_j X_ji − (F_i·m_i)/‖u_i‖ · t̂_i,
/// X_ij = −3 w_ij/d̃²_ij · (t̂_i·r̃_ij − t̂_j·r̃_ij) · r̃_ij + w_ij (t̂_i − t̂_j)   (pairs i &lt; j; the 3w/d̃² term is 0 where d̃² is floored)
/// ∂J/∂v_i = −(ρ/‖v_i‖) · P_i ∂‖T‖/∂u_i,  P_i = I − n_i n_iᵀ.
/// </code>
/// </summary>
internal sealed class KernelTangentialForce : IKernelObjective
{
    private static readonly Vector<float> Radius = new((float)SpreadObjectives.Radius);
    private static readonly Vector<float> Three = new(3f);

    private readonly int vectors;
    private readonly int dims;
    private readonly KernelPairs pairs;
    private readonly Vector<float>[] normals;
    private readonly Vector<float>[] scaled;
    private readonly Vector<float>[] norms;
    private readonly Vector<float>[] weights;
    private readonly Vector<float>[] slopes;
    private readonly Vector<float>[] force;
    private readonly Vector<float>[] direction;
    private readonly Vector<float>[] radial;
    private readonly Vector<float>[] scaledNorms;
    private readonly Vector<float>[] partial;

    public KernelTangentialForce(int vectors, int dims)
    {
        (this.vectors, this.dims) = (vectors, dims);
        pairs = new KernelPairs(vectors, dims);
        normals = new Vector<float>[vectors * dims];
        scaled = new Vector<float>[vectors * dims];
        norms = new Vector<float>[vectors];
        weights = new Vector<float>[pairs.Count];
        slopes = new Vector<float>[pairs.Count];
        force = new Vector<float>[vectors * dims];
        direction = new Vector<float>[vectors * dims];
        radial = new Vector<float>[vectors];
        scaledNorms = new Vector<float>[vectors];
        partial = new Vector<float>[vectors * dims];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vector<float> Evaluate(ReadOnlySpan<Vector<float>> points, Vector<float> exponent, Span<Vector<float>> gradient, out Vector<float> objective)
    {
        var d = dims;
        for (var i = 0; i < vectors; i++)
        {
            norms[i] = KernelVectors.Normalize(points.Slice(i * d, d), normals.AsSpan(i * d, d));
            for (var k = 0; k < d; k++)
            {
                scaled[(i * d) + k] = normals[(i * d) + k] * Radius;
            }
        }

        var closest = pairs.Fill(scaled) / (Radius * Radius);
        Array.Clear(force);
        var p = 0;
        for (var i = 0; i < vectors; i++)
        {
            var fi = force.AsSpan(i * d, d);
            for (var j = i + 1; j < vectors; j++, p++)
            {
                // d̃^−3 = (1/d̃²)·√(1/d̃²); 3·d̃^−5 = 3·w/d̃² = 3·w·(1/d̃²)
                var inverse = Vector<float>.One / pairs.Squared[p];
                var w = inverse * Vector.SquareRoot(inverse);
                weights[p] = w;
                slopes[p] = Vector.AndNot(Three * w * inverse, pairs.Floored[p]);
                var fj = force.AsSpan(j * d, d);
                var r = pairs.Differences.AsSpan(p * d, d);
                for (var k = 0; k < d; k++)
                {
                    var push = w * r[k];
                    fi[k] += push;
                    fj[k] -= push;
                }
            }
        }

        objective = Vector<float>.Zero;
        for (var i = 0; i < vectors; i++)
        {
            var f = force.AsSpan(i * d, d);
            var u = scaled.AsSpan(i * d, d);
            var length = KernelVectors.Length(u);
            scaledNorms[i] = length;
            var along = Vector<float>.Zero;
            for (var k = 0; k < d; k++)
            {
                along += f[k] * (u[k] / length);
            }

            radial[i] = along;
            var t = direction.AsSpan(i * d, d);
            for (var k = 0; k < d; k++)
            {
                t[k] = f[k] - (along * (u[k] / length));
            }

            var size = KernelVectors.Length(t);
            objective -= size;
            var inverse = Vector.ConditionalSelect(Vector.GreaterThan(size, Vector<float>.Zero), Vector<float>.One / size, Vector<float>.Zero);
            for (var k = 0; k < d; k++)
            {
                t[k] *= inverse;
            }
        }

        if (!gradient.IsEmpty)
        {
            Backward(gradient);
        }

        return closest;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Backward(Span<Vector<float>> gradient)
    {
        var d = dims;
        Array.Clear(partial);
        var p = 0;
        for (var i = 0; i < vectors; i++)
        {
            for (var j = i + 1; j < vectors; j++, p++)
            {
                var r = pairs.Differences.AsSpan(p * d, d);
                var difference = Vector<float>.Zero;
                for (var k = 0; k < d; k++)
                {
                    difference += (direction[(i * d) + k] - direction[(j * d) + k]) * r[k];
                }

                var w = weights[p];
                var slope = slopes[p] * difference;
                for (var k = 0; k < d; k++)
                {
                    var x = (w * (direction[(i * d) + k] - direction[(j * d) + k])) - (slope * r[k]);
                    partial[(i * d) + k] += x;
                    partial[(j * d) + k] -= x;
                }
            }
        }

        for (var i = 0; i < vectors; i++)
        {
            var correction = radial[i] / scaledNorms[i];
            var n = normals.AsSpan(i * d, d);
            var g = gradient.Slice(i * d, d);
            var along = Vector<float>.Zero;
            for (var k = 0; k < d; k++)
            {
                // ∂J/∂u = −∂‖T‖/∂u
                g[k] = (correction * direction[(i * d) + k]) - partial[(i * d) + k];
                along += g[k] * n[k];
            }

            var scale = Radius / norms[i];
            for (var k = 0; k < d; k++)
            {
                g[k] = (g[k] - (along * n[k])) * scale;
            }
        }
    }
}
