namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// What keeps coincident vectors from being an equilibrium. Every objective sees pair i, j through
/// its difference r_ij = u_i − u_j. A pair closer than <see cref="Radius"/> (a chord of 1e-4, about
/// 0.006°) uses r̃_ij = r_ij + Radius·τ_ij instead, τ_ij a fixed unit direction with τ_ji = −τ_ij,
/// and every squared distance is at least <see cref="FloorSquared"/>. So the repulsion of a pair grows
/// as it meets (the force law's 1/d², the energy's 1/d) up to its value at distance ~Radius, and
/// never drops to zero as (u_i − u_j)·f(d) does at u_i = u_j; pairs further apart are untouched.
/// The directions come from a hash of (i, j, k), so the kernel and the tensor program use the same.
/// </summary>
internal static class PairKick
{
    /// <summary>Pairs closer than this chord (in the objective's own coordinates) are kicked apart.</summary>
    public const float Radius = 1e-4f;

    /// <summary><see cref="Radius"/>².</summary>
    public const float RadiusSquared = Radius * Radius;

    /// <summary>The smallest squared distance any objective divides by: (Radius/2)².</summary>
    public const float FloorSquared = RadiusSquared / 4;

    /// <summary>Writes τ_ij (unit length, D components) for i ≠ j into <paramref name="direction"/>.</summary>
    public static void Direction(int i, int j, Span<float> direction)
    {
        var (low, high, sign) = i < j ? (i, j, 1f) : (j, i, -1f);
        var squares = 0.0;
        for (var k = 0; k < direction.Length; k++)
        {
            var x = Uniform(((ulong)(uint)low << 40) ^ ((ulong)(uint)high << 16) ^ (uint)k);
            direction[k] = (float)x;
            squares += x * x;
        }

        var scale = sign / Math.Sqrt(squares);
        for (var k = 0; k < direction.Length; k++)
        {
            direction[k] = (float)(direction[k] * scale);
        }
    }

    /// <summary>The [N, N, D] table of τ (zero on the diagonal), row-major.</summary>
    public static float[] Table(int vectors, int dims)
    {
        var table = new float[vectors * vectors * dims];
        for (var i = 0; i < vectors; i++)
        {
            for (var j = 0; j < vectors; j++)
            {
                if (i != j)
                {
                    Direction(i, j, table.AsSpan(((i * vectors) + j) * dims, dims));
                }
            }
        }

        return table;
    }

    /// <summary>SplitMix64 of the key, mapped to [−1, 1) and kept away from 0 so no direction vanishes.</summary>
    private static double Uniform(ulong key)
    {
        var z = key + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        var x = ((z >> 11) * (1.0 / (1UL << 53) * 2)) - 1;
        return x >= 0 ? x + 0.25 : x - 0.25;
    }
}
