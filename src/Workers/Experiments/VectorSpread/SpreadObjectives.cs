using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The four objectives (all maximised) over a batch of vector sets as differentiable tensor math,
/// and the reported minimum angle. Inputs are [B, N, D]; outputs are one value per set, [B]. Every
/// objective reads the pairs through their explicit differences with <see cref="PairKick"/> applied,
/// so coincident vectors are never an equilibrium. This is the tensor program of
/// <see cref="FusedSpreadRun"/> and the reference the CPU kernel is tested against.
/// </summary>
internal static class SpreadObjectives
{
    /// <summary>
    /// The article's radius inside its three objectives: vectors are normalised and scaled by 0.999, so
    /// every cosine has magnitude at most 0.998 and acos (whose slope is infinite at ±1) stays finite.
    /// </summary>
    public const double Radius = 0.999;

    private const double RadiansToDegrees = 180.0 / Math.PI;

    // Every number in the tensor math below is a process-lifetime Scalar: an implicit Scalar can be
    // freed by its finalizer while libtorch reads it (docs/torchsharp-notes.md).
    private static readonly Scalar RadiusScalar = Radius.ToScalar();
    private static readonly Scalar RadiusSquared = (Radius * Radius).ToScalar();
    private static readonly Scalar MinusHalf = (-0.5).ToScalar();
    private static readonly Scalar PlusOne = 1.0.ToScalar();
    private static readonly Scalar TwiceDegreesPerRadian = (2 * RadiansToDegrees).ToScalar();
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar BeyondAnyChord = 5.0.ToScalar();
    private static readonly Scalar MinAngleWeight = 0.7.ToScalar();
    private static readonly Scalar VarianceWeight = 0.3.ToScalar();
    private static readonly Scalar FloorSquared = PairKick.FloorSquared.ToScalar();
    private static readonly Scalar NearSquared = PairKick.RadiusSquared.ToScalar();
    private static readonly Scalar InverseCubeOfDistance = (-1.5).ToScalar();
    private static readonly Scalar NoForce = 0.0.ToScalar();
    private static readonly Scalar BelowAnyCosine = (-2.0).ToScalar();
    private static readonly Scalar NoPair = double.NegativeInfinity.ToScalar();
    private static readonly Scalar MinusLogTwo = (-Math.Log(2)).ToScalar();

    /// <summary>Objective of each set, differentiable with respect to <paramref name="vectors"/>.</summary>
    /// <param name="vectors">[B, N, D], any non-zero lengths (normalised inside, so gradients are tangential).</param>
    /// <param name="geometry">The run's constant tensors (diagonal mask, kick directions).</param>
    /// <param name="exponents">energy: each set's Riesz exponent s, [B]; ignored by the other methods.</param>
    /// <param name="closestSquared">
    /// Receives each set's smallest squared distance between two of its unit vectors, before any kick
    /// and without gradient, [B], for <see cref="MinAngleDegrees"/>.
    /// </param>
    public static Tensor Evaluate(string method, Tensor vectors, SpreadGeometry geometry, Tensor? exponents, out Tensor closestSquared)
    {
        var normals = vectors / vectors.norm(-1, keepdim: true);
        Tensor squared;
        switch (method)
        {
            case VectorSpreadDefinition.MinAngle:
                // min over i≠j of acos(cos θ_ij) is acos of the largest cosine: acos is decreasing.
                (_, squared, closestSquared) = Pairs(normals * RadiusScalar, geometry, Radius);
                return Masked(ScaledCosines(squared), geometry).amax([1L, 2L]).acos();
            case VectorSpreadDefinition.MinAngleVariance:
                (_, squared, closestSquared) = Pairs(normals * RadiusScalar, geometry, Radius);
                return MinAngleVariance(Masked(ScaledCosines(squared), geometry).amax(2).acos());
            case VectorSpreadDefinition.TangentialForce:
                return TangentialForce(normals, geometry, out closestSquared);
            case VectorSpreadDefinition.Energy:
                return Energy(normals, geometry, exponents ?? throw new ArgumentNullException(nameof(exponents)), out closestSquared);
            default:
                throw new ArgumentException($"unknown vector-spread method '{method}'", nameof(method));
        }
    }

    /// <summary>
    /// The minimum pairwise angle in degrees, [B], from <see cref="Evaluate"/>'s smallest squared
    /// distance d² between unit vectors: 2·asin(d/2), which keeps small angles exact (acos of a float32
    /// cosine near 1 does not).
    /// </summary>
    public static Tensor MinAngleDegrees(Tensor closestSquared)
    {
        using var noGrad = torch.no_grad();
        return closestSquared.sqrt().mul_(Half).clamp_max(PlusOne).asin().mul_(TwiceDegreesPerRadian);
    }

    /// <summary>
    /// The kicked differences r̃_ij [B, N, N, D] of the points and their squared lengths d̃² [B, N, N]
    /// (at least <see cref="PairKick.FloorSquared"/>; the diagonal is masked by every caller), and the
    /// smallest unkicked squared distance of each set divided by radius² (no gradient), [B].
    /// </summary>
    private static (Tensor Differences, Tensor Squared, Tensor Closest) Pairs(Tensor points, SpreadGeometry geometry, double radius)
    {
        var differences = points.unsqueeze(2) - points.unsqueeze(1);
        Tensor near, closest;
        using (torch.no_grad())
        {
            var raw = differences.detach().Squared().sum(-1);
            near = raw.lt(NearSquared).to(differences.dtype).unsqueeze(-1);
            closest = raw.masked_fill(geometry.Diagonal, BeyondAnyChord).amin([1L, 2L]);
            if (radius != 1.0)
            {
                closest = closest.Times(1.0 / (radius * radius));
            }
        }

        var kicked = differences.Plus(geometry.Kick * near);
        return (kicked, kicked.Squared().sum(-1).clamp_min(FloorSquared), closest);
    }

    /// <summary>u_i·u_j of the article's scaled vectors (radius 0.999) from their kicked squared distances: ρ² − d̃²/2.</summary>
    private static Tensor ScaledCosines(Tensor squared) => (squared * MinusHalf).PlusInPlace(RadiusSquared);

    /// <summary>0.7·min_i m_i − 0.3·Σ_i (m_i − mean m)², m_i [B, N] the angle from vector i to its nearest neighbour.</summary>
    private static Tensor MinAngleVariance(Tensor nearestAngles)
    {
        var spread = (nearestAngles - nearestAngles.mean([1L], keepdim: true)).Squared().sum(1);
        return (MinAngleWeight * nearestAngles.amin(1)) - (VarianceWeight * spread);
    }

    /// <summary>−Σ_i ‖F_i − (F_i·n_i) n_i‖ with F_i = Σ_{j≠i} r̃_ij / d̃_ij³ on the scaled vectors.</summary>
    private static Tensor TangentialForce(Tensor normals, SpreadGeometry geometry, out Tensor closestSquared)
    {
        var scaled = normals * RadiusScalar;
        (var differences, var squared, closestSquared) = Pairs(scaled, geometry, Radius);
        var weights = squared.pow(InverseCubeOfDistance).masked_fill(geometry.Diagonal, NoForce);
        var force = (differences * weights.unsqueeze(-1)).sum(2);
        var unit = scaled / scaled.norm(-1, keepdim: true);
        var tangential = force - ((force * unit).sum(-1, keepdim: true) * unit);
        return -tangential.norm(-1).sum(1);
    }

    /// <summary>
    /// −(N / 2s)·log Σ_{i&lt;j} d̃_ij^(−s) on the unit vectors: the log of the Riesz s-energy, scaled by
    /// 1/s so it stays finite for any s (it tends to (N/2)·log of the smallest distance as s grows) and
    /// by N/2 so one learning rate suits any N. Computed as a log-sum-exp over the ordered pairs.
    /// </summary>
    private static Tensor Energy(Tensor normals, SpreadGeometry geometry, Tensor exponents, out Tensor closestSquared)
    {
        (_, var squared, closestSquared) = Pairs(normals, geometry, 1.0);
        var s = exponents.view(-1, 1, 1);
        var logits = (squared.log() * s * MinusHalf).masked_fill(geometry.Diagonal, NoPair);
        // Out of place throughout: autograd saves logsumexp's output for its backward pass.
        var logEnergy = logits.flatten(1).logsumexp(1).Plus(MinusLogTwo);
        using var minusHalfN = (-0.5 * normals.shape[1]).ToScalar();
        return logEnergy / exponents * minusHalfN;
    }

    /// <summary>The cosines with the diagonal (self-pairs) set below any cosine, so a maximum never picks it.</summary>
    private static Tensor Masked(Tensor cosines, SpreadGeometry geometry) => cosines.masked_fill(geometry.Diagonal, BelowAnyCosine);
}
