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

    /// <summary>Objective of each trial, differentiable with respect to <paramref name="vectors"/>.</summary>
    /// <param name="vectors">[B, N, D], any non-zero lengths (normalised inside, so gradients are tangential).</param>
    /// <param name="diagonal">[N, N] boolean, true on the diagonal (self-pairs, excluded).</param>
    /// <param name="cosines">Receives the [B, N, N] Gram matrix of the scaled vectors (cos θ · Radius²).</param>
    public static Tensor Evaluate(string method, Tensor vectors, Tensor diagonal, out Tensor cosines)
    {
        var scaled = vectors / vectors.norm(-1, keepdim: true) * Radius;
        cosines = scaled.bmm(scaled.transpose(1, 2));
        return method switch
        {
            VectorSpreadDefinition.MinAngle => MinAngle(cosines, diagonal),
            VectorSpreadDefinition.MinAngleVariance => MinAngleVariance(cosines, diagonal),
            VectorSpreadDefinition.TangentialForce => TangentialForce(scaled, cosines, diagonal),
            _ => throw new ArgumentException($"unknown vector-spread method '{method}'", nameof(method)),
        };
    }

    /// <summary>
    /// The true minimum pairwise angle in degrees of each trial, [B], from the Gram matrix that
    /// <see cref="Evaluate"/> produced (no gradient).
    /// </summary>
    public static Tensor MinAngleDegrees(Tensor cosines, Tensor diagonal)
    {
        using var noGrad = torch.no_grad();
        var largest = NearestCosines(cosines.detach(), diagonal).amax(1) / (Radius * Radius);
        return largest.clamp(-1.0, 1.0).acos() * RadiansToDegrees;
    }

    /// <summary>min over i≠j of the pairwise angle = acos of the largest off-diagonal cosine.</summary>
    private static Tensor MinAngle(Tensor cosines, Tensor diagonal) =>
        NearestCosines(cosines, diagonal).amax(1).acos();

    /// <summary>0.7·min_i m_i − 0.3·Σ_i (m_i − mean m)², m_i the angle from vector i to its nearest neighbour.</summary>
    private static Tensor MinAngleVariance(Tensor cosines, Tensor diagonal)
    {
        var nearest = NearestCosines(cosines, diagonal).acos();
        var spread = (nearest - nearest.mean([1L], keepdim: true)).square().sum(1);
        return (0.7 * nearest.amin(1)) - (0.3 * spread);
    }

    /// <summary>
    /// −Σ_i ‖F_i − (F_i·n_i) n_i‖ with F_i = Σ_{j≠i} (u_i − u_j) / ‖u_i − u_j‖³, using
    /// ‖u_i − u_j‖² = ‖u_i‖² + ‖u_j‖² − 2 u_i·u_j so no [N, N, D] tensor is formed.
    /// </summary>
    private static Tensor TangentialForce(Tensor scaled, Tensor cosines, Tensor diagonal)
    {
        var squares = scaled.square().sum(-1);
        var distances2 = squares.unsqueeze(2) + squares.unsqueeze(1) - (2 * cosines);
        var weights = distances2.masked_fill(diagonal, 1.0).clamp_min(1e-12).pow(-1.5)
            .masked_fill(diagonal, 0.0);
        var force = (scaled * weights.sum(2, keepdim: true)) - weights.bmm(scaled);
        var normals = scaled / squares.sqrt().unsqueeze(2);
        var tangential = force - ((force * normals).sum(-1, keepdim: true) * normals);
        return -tangential.norm(-1).sum(1);
    }

    /// <summary>Each vector's largest cosine to any other vector, [B, N]; the diagonal is masked, never used.</summary>
    private static Tensor NearestCosines(Tensor cosines, Tensor diagonal) =>
        cosines.masked_fill(diagonal, -2.0).amax(2);
}
