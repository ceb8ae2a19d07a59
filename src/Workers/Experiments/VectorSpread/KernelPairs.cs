using System.Numerics;
using System.Runtime.CompilerServices;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The pair geometry of the CPU kernel for one group of lanes (one lane per SIMD element): every pair
/// i &lt; j's kicked difference r̃ (<see cref="PairKick"/>), its squared length d̃² (floored) and whether
/// the floor applied, plus each lane's largest cosine of the unkicked unit vectors (for the minimum
/// angle). The same arithmetic as <c>SpreadObjectives.Pairs</c>, lane by lane.
/// </summary>
internal sealed class KernelPairs
{
    private static readonly Vector<float> Near = new(PairKick.RadiusSquared);
    private static readonly Vector<float> Floor = new(PairKick.FloorSquared);

    private readonly float[] direction;

    public KernelPairs(int vectors, int dims)
    {
        (Vectors, Dims) = (vectors, dims);
        Count = vectors * (vectors - 1) / 2;
        Differences = new Vector<float>[Count * dims];
        Squared = new Vector<float>[Count];
        Floored = new Vector<float>[Count];
        direction = new float[dims];
    }

    public int Vectors { get; }

    public int Dims { get; }

    /// <summary>Pairs i &lt; j, in the order of the double loop over i then j.</summary>
    public int Count { get; }

    /// <summary>[pair, D]: r̃_ij of each pair i &lt; j.</summary>
    public Vector<float>[] Differences { get; }

    /// <summary>[pair]: d̃²_ij, at least <see cref="PairKick.FloorSquared"/>.</summary>
    public Vector<float>[] Squared { get; }

    /// <summary>[pair]: all-ones in the lanes where the floor replaced d̃² (no gradient flows through it there).</summary>
    public Vector<float>[] Floored { get; }

    /// <summary>Pair bytes a kernel run holds per lane group; the kernel is used only while this stays small.</summary>
    public static long BytesFor(int vectors, int dims) => (long)vectors * (vectors - 1) / 2 * (dims + 2) * Vector<float>.Count * sizeof(float);

    /// <summary>
    /// Fills the pairs of <paramref name="points"/> ([N, D]) and returns each lane's smallest squared
    /// distance between two of them, before any kick (for the minimum angle).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vector<float> Fill(ReadOnlySpan<Vector<float>> points)
    {
        var d = Dims;
        var closest = new Vector<float>(float.PositiveInfinity);
        var p = 0;
        for (var i = 0; i < Vectors; i++)
        {
            var pi = points.Slice(i * d, d);
            for (var j = i + 1; j < Vectors; j++, p++)
            {
                var pj = points.Slice(j * d, d);
                var r = Differences.AsSpan(p * d, d);
                var raw = Vector<float>.Zero;
                for (var k = 0; k < d; k++)
                {
                    var x = pi[k] - pj[k];
                    r[k] = x;
                    raw += x * x;
                }

                closest = Vector.Min(closest, raw);
                var near = Vector.LessThan(raw, Near);
                var squared = raw;
                if (!Vector.EqualsAll(near, Vector<int>.Zero))
                {
                    Kick(i, j, r, Vector.AsVectorSingle(near));
                    squared = Vector<float>.Zero;
                    for (var k = 0; k < d; k++)
                    {
                        squared += r[k] * r[k];
                    }
                }

                Floored[p] = Vector.AsVectorSingle(Vector.LessThan(squared, Floor));
                Squared[p] = Vector.Max(squared, Floor);
            }
        }

        return closest;
    }

    /// <summary>Adds Radius·τ_ij to the lanes of <paramref name="r"/> where <paramref name="mask"/> is set.</summary>
    private void Kick(int i, int j, Span<Vector<float>> r, Vector<float> mask)
    {
        PairKick.Direction(i, j, direction);
        for (var k = 0; k < r.Length; k++)
        {
            r[k] += Vector.ConditionalSelect(mask, new Vector<float>(PairKick.Radius * direction[k]), Vector<float>.Zero);
        }
    }
}
