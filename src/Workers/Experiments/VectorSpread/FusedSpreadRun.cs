using GradDescent.Workers.Devices;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// One batched run of B vector-spread trials that share <see cref="SpreadSettings"/>: vectors are a
/// [B, N, D] tensor, per-trial hyperparameters are [B] tensors, and nothing is copied to the host
/// until the end except the step history, once per <see cref="HistoryChunk"/> steps.
/// </summary>
internal sealed class FusedSpreadRun
{
    /// <summary>Steps of history buffered on the device between copies to the host.</summary>
    private const int HistoryChunk = 4096;

    /// <summary>NaN recorded for a diverged trial; process-lifetime (see <see cref="ScalarArithmetic"/>).</summary>
    private static readonly Scalar NotANumber = float.NaN.ToScalar();

    /// <summary>The largest factor clipping applies to a gradient.</summary>
    private static readonly Scalar NoScaling = 1.0.ToScalar();

    private readonly SpreadSettings settings;
    private readonly IReadOnlyList<TrialInput> trials;
    private readonly Device device;

    public FusedSpreadRun(SpreadSettings settings, IReadOnlyList<TrialInput> trials, Device device)
    {
        this.settings = settings;
        this.trials = trials;
        this.device = device;
    }

    public IReadOnlyList<SpreadTrialResult> Execute(CancellationToken cancellationToken)
    {
        using var runScope = torch.NewDisposeScope();
        var count = trials.Count;
        var iterations = settings.Iterations;
        var chunk = Math.Min(iterations, HistoryChunk);

        var vectors = InitialVectors();
        var previous = vectors.clone();
        var diagonal = torch.eye(settings.Vectors, dtype: ScalarType.Bool, device: device);
        var clip = ClipNorms(out var clips);
        var diverged = torch.zeros(count, dtype: ScalarType.Bool, device: device);
        var history = torch.zeros(chunk, 2, count, device: device);
        var angles = NewSeries(count, iterations);
        var objectives = NewSeries(count, iterations);
        using var rule = CreateRule();

        for (var t = 0; t <= iterations; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = torch.NewDisposeScope();
            var (objective, angle, gradient) = Evaluate(vectors, diagonal, needGradient: t < iterations);
            if (t > 0)
            {
                // Metrics of the state after update t-1. A trial whose objective, angle or vectors are
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
                    CopyRows(history, angles, objectives, step - row, row + 1);
                }
            }

            if (t == iterations)
            {
                break;
            }

            if (clips)
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

        return Collect(vectors, diagonal, angles, objectives);
    }

    private (Tensor Objective, Tensor Angle, Tensor? Gradient) Evaluate(Tensor vectors, Tensor diagonal, bool needGradient)
    {
        if (!needGradient)
        {
            using var noGrad = torch.no_grad();
            var value = SpreadObjectives.Evaluate(settings.Method, vectors, diagonal, out var largest);
            return (value, SpreadObjectives.MinAngleDegrees(largest), null);
        }

        var leaf = vectors.detach().requires_grad_(true);
        var objective = SpreadObjectives.Evaluate(settings.Method, leaf, diagonal, out var largestCosine);
        var gradient = torch.autograd.grad([objective.sum()], [leaf])[0];
        return (objective.detach(), SpreadObjectives.MinAngleDegrees(largestCosine), gradient);
    }

    /// <summary>Each trial's start: N×D standard normals from its own generator (CPU, so every device starts alike), normalised.</summary>
    private Tensor InitialVectors()
    {
        var draws = new Tensor[trials.Count];
        for (var i = 0; i < draws.Length; i++)
        {
            using var generator = new torch.Generator(unchecked((ulong)(uint)trials[i].Seed), torch.CPU);
            draws[i] = torch.randn([settings.Vectors, settings.Dims], generator: generator);
        }

        using var scope = torch.NewDisposeScope();
        var stacked = torch.stack(draws).to(device);
        return (stacked / stacked.norm(-1, keepdim: true)).MoveToOuterDisposeScope();
    }

    /// <summary>[B] clip norms, +infinity where a trial does not clip; <paramref name="any"/> is false when none does.</summary>
    private Tensor ClipNorms(out bool any)
    {
        var values = new float[trials.Count];
        any = false;
        for (var i = 0; i < values.Length; i++)
        {
            var clip = trials[i].Parameters.GetDoubleOrNull("clip_norm");
            values[i] = clip is { } c ? (float)c : float.PositiveInfinity;
            any |= clip is not null;
        }

        return torch.tensor(values, device: device);
    }

    private ISpreadUpdateRule CreateRule()
    {
        if (settings.IsAscent)
        {
            return new AscentRule(PerTrial("learning_rate").DetachFromDisposeScope(), PerTrial("lr_decay").DetachFromDisposeScope());
        }

        var parameters = trials.Select(t => t.Parameters).ToList();
        var optimizer = BatchedOptimizerFactory.Create(settings.Optimizer, parameters, device);
        return new OptimizerRule(optimizer, settings.SharedLrDecay ?? 1.0);
    }

    private Tensor PerTrial(string name)
    {
        var values = trials.Select(t => (float)t.Parameters.GetDouble(name)).ToArray();
        return torch.tensor(values, device: device);
    }

    private IReadOnlyList<SpreadTrialResult> Collect(Tensor vectors, Tensor diagonal, float[][] angles, float[][] objectives)
    {
        using var scope = torch.NewDisposeScope();
        var (objective, angle, _) = Evaluate(vectors, diagonal, needGradient: false);
        var finalObjective = objective.cpu().data<float>().ToArray();
        var finalAngle = angle.cpu().data<float>().ToArray();
        var flat = vectors.cpu().data<float>().ToArray();
        var (n, d) = (settings.Vectors, settings.Dims);

        var results = new SpreadTrialResult[trials.Count];
        for (var b = 0; b < results.Length; b++)
        {
            var rows = new float[n][];
            for (var i = 0; i < n; i++)
            {
                rows[i] = flat.AsSpan(((b * n) + i) * d, d).ToArray();
            }

            var firstNaN = Array.FindIndex(angles[b], float.IsNaN);
            int? divergedStep = firstNaN < 0 ? null : firstNaN;
            var kept = divergedStep ?? settings.Iterations;
            results[b] = new SpreadTrialResult(
                angles[b][..kept], objectives[b][..kept], divergedStep, rows, finalAngle[b], finalObjective[b]);
        }

        return results;
    }

    private static float[][] NewSeries(int count, int iterations)
    {
        var series = new float[count][];
        for (var b = 0; b < count; b++)
        {
            series[b] = new float[iterations];
        }

        return series;
    }

    /// <summary>
    /// Copies the first <paramref name="rows"/> rows of the [chunk, 2, B] device history (angle,
    /// objective) into each trial's series at <paramref name="start"/>: one host copy per chunk.
    /// </summary>
    private static void CopyRows(Tensor history, float[][] angles, float[][] objectives, int start, int rows)
    {
        using var host = history.narrow(0, 0, rows).cpu();
        var values = host.data<float>().ToArray();
        var count = angles.Length;
        for (var r = 0; r < rows; r++)
        {
            for (var b = 0; b < count; b++)
            {
                angles[b][start + r] = values[(((2 * r) + 0) * count) + b];
                objectives[b][start + r] = values[(((2 * r) + 1) * count) + b];
            }
        }
    }
}
