using GradDescent.Workers.Devices;
using GradDescent.Abstractions.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The article's three objectives (all maximised) over a batch of vector sets, and the reported
/// minimum angle. Inputs are [B, N, D]; outputs are one value per trial, [B].
/// </summary>
internal static class SpreadObjectives
{
    /// <summary>
    /// The article's radius inside the objective: vectors are normalised and scaled by 0.999, so
    /// every cosine has magnitude at most 0.998 and acos (whose slope is infinite at ±1) stays finite.
    /// </summary>
    public const double Radius = 0.999;

    private const double RadiansToDegrees = 180.0 / Math.PI;

    // Every number in the tensor math below is a process-lifetime Scalar: an implicit Scalar can be
    // freed by its finalizer while libtorch reads it (docs/torchsharp-notes.md).
    private static readonly Scalar RadiusScalar = Radius.ToScalar();
    private static readonly Scalar RadiusSquared = (Radius * Radius).ToScalar();
    private static readonly Scalar MinusOne = (-1.0).ToScalar();
    private static readonly Scalar PlusOne = 1.0.ToScalar();
    private static readonly Scalar DegreesPerRadian = RadiansToDegrees.ToScalar();
    private static readonly Scalar MinAngleWeight = 0.7.ToScalar();
    private static readonly Scalar VarianceWeight = 0.3.ToScalar();
    private static readonly Scalar Two = 2.ToScalar();
    private static readonly Scalar SelfDistance = 1.0.ToScalar();
    private static readonly Scalar SmallestDistanceSquared = 1e-12.ToScalar();
    private static readonly Scalar InverseCubeOfDistance = (-1.5).ToScalar();
    private static readonly Scalar NoForce = 0.0.ToScalar();
    private static readonly Scalar BelowAnyCosine = (-2.0).ToScalar();

    /// <summary>Objective of each trial, differentiable with respect to <paramref name="vectors"/>.</summary>
    /// <param name="vectors">[B, N, D], any non-zero lengths (normalised inside, so gradients are tangential).</param>
    /// <param name="diagonal">[N, N] boolean, true on the diagonal (self-pairs, excluded).</param>
    /// <param name="largestCosine">
    /// Receives each trial's largest off-diagonal cosine of the scaled vectors (cos θ_min · Radius²), [B],
    /// for <see cref="MinAngleDegrees"/>.
    /// </param>
    public static Tensor Evaluate(string method, Tensor vectors, Tensor diagonal, out Tensor largestCosine)
    {
        var scaled = vectors * (RadiusScalar / vectors.norm(-1, keepdim: true));
        var cosines = scaled.bmm(scaled.transpose(1, 2));
        switch (method)
        {
            case VectorSpreadDefinition.MinAngle:
                // min over i≠j of acos(cos θ_ij) is acos of the largest cosine: acos is decreasing.
                largestCosine = Masked(cosines, diagonal).amax([1L, 2L]);
                return largestCosine.acos();
            case VectorSpreadDefinition.MinAngleVariance:
                var nearest = Masked(cosines, diagonal).amax(2);
                largestCosine = nearest.amax(1);
                return MinAngleVariance(nearest.acos());
            case VectorSpreadDefinition.TangentialForce:
                largestCosine = Masked(cosines, diagonal).amax([1L, 2L]);
                return TangentialForce(scaled, cosines, diagonal);
            default:
                throw new ArgumentException($"unknown vector-spread method '{method}'", nameof(method));
        }
    }

    /// <summary>The true minimum pairwise angle in degrees, [B], from <see cref="Evaluate"/>'s largest cosine (no gradient).</summary>
    public static Tensor MinAngleDegrees(Tensor largestCosine)
    {
        using var noGrad = torch.no_grad();
        return (largestCosine.detach() / RadiusSquared).clamp(MinusOne, PlusOne).acos() * DegreesPerRadian;
    }

    /// <summary>0.7·min_i m_i − 0.3·Σ_i (m_i − mean m)², m_i [B, N] the angle from vector i to its nearest neighbour.</summary>
    private static Tensor MinAngleVariance(Tensor nearestAngles)
    {
        var spread = (nearestAngles - nearestAngles.mean([1L], keepdim: true)).Squared().sum(1);
        return (MinAngleWeight * nearestAngles.amin(1)) - (VarianceWeight * spread);
    }

    /// <summary>
    /// −Σ_i ‖F_i − (F_i·n_i) n_i‖ with F_i = Σ_{j≠i} (u_i − u_j) / ‖u_i − u_j‖³, using
    /// ‖u_i − u_j‖² = ‖u_i‖² + ‖u_j‖² − 2 u_i·u_j so no [N, N, D] tensor is formed.
    /// </summary>
    private static Tensor TangentialForce(Tensor scaled, Tensor cosines, Tensor diagonal)
    {
        var squares = scaled.Squared().sum(-1);
        var distances2 = squares.unsqueeze(2).Plus(squares.unsqueeze(1)) - (Two * cosines);
        var weights = distances2.masked_fill(diagonal, SelfDistance).clamp_min(SmallestDistanceSquared).pow(InverseCubeOfDistance)
            .masked_fill(diagonal, NoForce);
        var force = (scaled * weights.sum(2, keepdim: true)) - weights.bmm(scaled);
        var normals = scaled / squares.sqrt().unsqueeze(2);
        var tangential = force - ((force * normals).sum(-1, keepdim: true) * normals);
        return -tangential.norm(-1).sum(1);
    }

    /// <summary>The Gram matrix with its diagonal (self-pairs) set below any cosine, so a maximum never picks it.</summary>
    private static Tensor Masked(Tensor cosines, Tensor diagonal) => cosines.masked_fill(diagonal, BelowAnyCosine);
}
