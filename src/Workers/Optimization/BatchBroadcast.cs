using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>Reshapes a per-trial [B] tensor so it broadcasts against a [B, ...] parameter.</summary>
internal static class BatchBroadcast
{
    public static Tensor Expand(Tensor perTrial, Tensor like)
    {
        if (like.dim() <= 1)
        {
            return perTrial;
        }

        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = perTrial.shape[0];
        return perTrial.view(shape);
    }
}
