using GradDescent.Workers.Devices;
using GradDescent.Workers.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The tensor program of a fused vector-spread group, for any device, objective and update rule:
/// vectors are a [L, N, D] tensor (L lanes: every restart of every trial), per-lane hyperparameters
/// are [L] tensors, the gradient comes from autograd, and nothing is copied to the host until the end
/// except the step history, once per <see cref="HistoryChunk"/> steps.
/// </summary>
internal sealed class FusedSpreadRun(SpreadLanes lanes, Tensor starts, Device device)
{
    /// <summary>Steps of history buffered on the device between copies to the host.</summary>
    private const int HistoryChunk = 4096;

    /// <summary>NaN recorded for a diverged lane; process-lifetime (see <see cref="ScalarArithmetic"/>).</summary>
    private static readonly Scalar NotANumber = float.NaN.ToScalar();

    /// <summary>The largest factor clipping applies to a gradient.</summary>
    private static readonly Scalar NoScaling = 1.0.ToScalar();

    private readonly SpreadSettings settings = lanes.Settings;

    /// <param name="cancellationToken">Checked before every step.</param>
    public SpreadLaneResults Execute(CancellationToken cancellationToken)
    {
        using var runScope = torch.NewDisposeScope();
        var count = lanes.Count;
        var iterations = settings.Iterations;
        var chunk = Math.Min(iterations, HistoryChunk);
        var results = new SpreadLaneResults(count, iterations, settings.Vectors, settings.Dims);

        var vectors = starts.to(device, copy: true);
        var previous = vectors.clone();
        using var geometry = new SpreadGeometry(settings.Vectors, settings.Dims, device);
        var clip = lanes.AnyClip ? torch.tensor(lanes.ClipNorm, device: device) : null;
        var diverged = torch.zeros(count, dtype: ScalarType.Bool, device: device);
        var history = torch.zeros(chunk, 2, count, device: device);
        var exponents = new float[count];
        using var rule = CreateRule();

        for (var t = 0; t <= iterations; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = torch.NewDisposeScope();
            var (objective, angle, gradient) = Evaluate(vectors, geometry, Exponents(t, exponents), needGradient: t < iterations);
            if (t > 0)
            {
                // Metrics of the state after update t-1. A lane whose objective, angle or vectors are
                // not finite is diverged from here on: it keeps its last finite vectors and records NaN,
                // so its divergence step is the first NaN of its history.
                var step = t - 1;
                var row = step % chunk;
                using (torch.no_grad())
                {
                    var finite = objective.Plus(angle).PlusInPlace(vectors.sum([1L, 2L])).isfinite();
                    diverged.logical_or_(finite.logical_not());
                    vectors.copy_(torch.where(diverged.view(-1, 1, 1), previous, vectors));
                    history[row].copy_(torch.stack([angle, objective]).masked_fill(diverged, NotANumber));
                }

                if (row == chunk - 1 || step == iterations - 1)
                {
                    CopyRows(history, results, step - row, row + 1);
                }
            }

            if (results.FrameAt(t) is var frame and >= 0)
            {
                Snapshot(vectors, results, frame);
            }

            if (t == iterations)
            {
                break;
            }

            if (clip is not null)
            {
                var norms = gradient!.flatten(1).norm(1);
                gradient = gradient * (clip / norms).clamp_max(NoScaling).view(-1, 1, 1);
            }

            previous.copy_(vectors);
            rule.Step(vectors, gradient!);
            using (torch.no_grad())
            {
                vectors.div_(vectors.norm(-1, keepdim: true));
            }

            if ((t + 1) % settings.LrDecayEvery == 0)
            {
                rule.Decay();
            }
        }

        Collect(vectors, geometry, Exponents(iterations, exponents), results);
        return results;
    }

    private (Tensor Objective, Tensor Angle, Tensor? Gradient) Evaluate(Tensor vectors, SpreadGeometry geometry, Tensor? exponents, bool needGradient)
    {
        if (!needGradient)
        {
            using var noGrad = torch.no_grad();
            var value = SpreadObjectives.Evaluate(settings.Method, vectors, geometry, exponents, out var closest);
            return (value, SpreadObjectives.MinAngleDegrees(closest), null);
        }

        var leaf = vectors.detach().requires_grad_(true);
        var objective = SpreadObjectives.Evaluate(settings.Method, leaf, geometry, exponents, out var closestSquared);
        var gradient = torch.autograd.grad([objective.sum()], [leaf])[0];
        return (objective.detach(), SpreadObjectives.MinAngleDegrees(closestSquared), gradient);
    }

    /// <summary>energy: the lanes' exponents at evaluation <paramref name="t"/>, [L]; null for the other methods.</summary>
    private Tensor? Exponents(int t, float[] buffer)
    {
        if (!settings.IsEnergy)
        {
            return null;
        }

        lanes.ExponentsAt(t, buffer);
        return torch.tensor(buffer, device: device);
    }

    private ISpreadUpdateRule CreateRule()
    {
        if (settings.IsAscent)
        {
            return new AscentRule(
                torch.tensor(lanes.LearningRate, device: device).DetachFromDisposeScope(),
                torch.tensor(lanes.Decay, device: device).DetachFromDisposeScope());
        }

        var optimizer = BatchedOptimizerFactory.Create(settings.Optimizer, lanes.Parameters, device);
        return new OptimizerRule(optimizer, settings.SharedLrDecay ?? 1.0);
    }

    private void Collect(Tensor vectors, SpreadGeometry geometry, Tensor? exponents, SpreadLaneResults results)
    {
        using var scope = torch.NewDisposeScope();
        var (objective, angle, _) = Evaluate(vectors, geometry, exponents, needGradient: false);
        objective.cpu().data<float>().CopyTo(results.FinalObjective);
        angle.cpu().data<float>().CopyTo(results.FinalAngle);
        vectors.cpu().data<float>().CopyTo(results.FinalVectors);
    }

    /// <summary>Copies every lane's vectors ([L, N, D]) to the host as frame <paramref name="frame"/> of its trajectory.</summary>
    private static void Snapshot(Tensor vectors, SpreadLaneResults results, int frame)
    {
        using var host = vectors.cpu();
        var values = host.data<float>().ToArray();
        var size = results.Vectors * results.Dims;
        for (var lane = 0; lane < results.Frames!.Length; lane++)
        {
            Array.Copy(values, lane * size, results.Frames[lane], frame * size, size);
        }
    }

    /// <summary>
    /// Copies the first <paramref name="rows"/> rows of the [chunk, 2, L] device history (angle,
    /// objective) into each lane's series at <paramref name="start"/>: one host copy per chunk.
    /// </summary>
    private static void CopyRows(Tensor history, SpreadLaneResults results, int start, int rows)
    {
        using var host = history.narrow(0, 0, rows).cpu();
        var values = host.data<float>().ToArray();
        var count = results.Angles.Length;
        for (var r = 0; r < rows; r++)
        {
            for (var lane = 0; lane < count; lane++)
            {
                results.Angles[lane][start + r] = values[(((2 * r) + 0) * count) + lane];
                results.Objectives[lane][start + r] = values[(((2 * r) + 1) * count) + lane];
            }
        }
    }
}
