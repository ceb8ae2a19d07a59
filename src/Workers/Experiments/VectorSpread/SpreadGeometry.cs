using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>The constant tensors of one tensor-program run: the self-pair mask and the pair kicks.</summary>
internal sealed class SpreadGeometry : IDisposable
{
    public SpreadGeometry(int vectors, int dims, Device device)
    {
        Diagonal = eye(vectors, dtype: ScalarType.Bool, device: device).DetachFromDisposeScope();
        var kicks = PairKick.Table(vectors, dims);
        for (var i = 0; i < kicks.Length; i++)
        {
            kicks[i] *= PairKick.Radius;
        }

        Kick = tensor(kicks, [vectors, vectors, dims], device: device).DetachFromDisposeScope();
    }

    /// <summary>[N, N] boolean, true on the diagonal (self-pairs, excluded from every objective).</summary>
    public Tensor Diagonal { get; }

    /// <summary>[N, N, D]: Radius·τ_ij, added to the difference of a pair closer than Radius.</summary>
    public Tensor Kick { get; }

    public void Dispose()
    {
        Diagonal.Dispose();
        Kick.Dispose();
    }
}
