using GradDescent.Abstractions.Search;
using GradDescent.Workers.Devices;
using GradDescent.Workers.Experiments.Adversarial.Images;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.Adversarial.Attack;

/// <summary>
/// The bookkeeping of one batched attack: the probabilities of every iteration (kept on the device and copied to
/// the host once at the end, or at each early-stopping checkpoint), which images are still attacked, and each
/// image's trace once it finishes or stops.
/// </summary>
internal sealed class AttackRun(VictimModel model, AttackSettings settings, int images, StoppingPlan? stopping)
{
    private readonly List<Tensor> pending = [];
    private readonly List<float[]>[] probabilities = [.. Enumerable.Range(0, images).Select(_ => new List<float[]>())];
    private readonly AttackTrace?[] traces = new AttackTrace?[images];

    // The series has one value before the attack and one after each iteration.
    private readonly BatchStopping rows = new(stopping, images, settings.Iterations + 1);

    public VictimModel Model => model;

    public AttackSettings Settings => settings;

    public IReadOnlyList<AttackTrace> Traces => [.. traces.Select((t, i) => t ?? throw new InvalidOperationException($"image {i} has no trace"))];

    /// <summary>Keeps an iteration's probabilities [live images, 2] (moved out of the caller's dispose scope).</summary>
    public void Record(Tensor iterationProbabilities) => pending.Add(iterationProbabilities.MoveToOuterDisposeScope());

    /// <summary>Whether the recorded iterations reach the plan's next checkpoint.</summary>
    public bool AtCheckpoint => rows.NextCheckpoint is { } next && probabilities[rows.Live[0]].Count + pending.Count == next;

    /// <summary>
    /// At a checkpoint (as many recorded iterations as its number), lets the plan stop images: each stopped one is
    /// finished from <paramref name="levels"/> [live, 3, H, W] (its current image). Returns the positions to keep,
    /// as an int64 tensor on the device, or null when nothing stopped (or no checkpoint is here).
    /// </summary>
    public Tensor? Decide(Tensor levels)
    {
        if (!AtCheckpoint)
        {
            return null;
        }

        var live = rows.Live.ToArray();
        Flush(live);
        var target = (int)settings.Target;
        var keep = rows.Decide(
            (row, iteration) => probabilities[row][iteration - 1][target],
            row => probabilities[row].Any(p => !float.IsFinite(p[0]) || !float.IsFinite(p[1])));
        if (keep is null)
        {
            return null;
        }

        var stopped = Enumerable.Range(0, live.Length).Except(keep).ToArray();
        using (var index = tensor(stopped.Select(s => (long)s).ToArray(), device: levels.device))
        {
            Finish(levels.index_select(0, index), [.. stopped.Select(s => live[s])], stoppedAt: rows.StoppedAt[live[stopped[0]]]);
        }

        return tensor(keep.Select(k => (long)k).ToArray(), device: levels.device);
    }

    /// <summary>The attack ended: finishes every image still attacked from its final image.</summary>
    public void Finish(Tensor levels)
    {
        var live = rows.Live.ToArray();
        Flush(live);
        Finish(levels, live, stoppedAt: null);
    }

    /// <summary>
    /// Quantises the images of <paramref name="rows"/> and records their traces. A sign attack with a whole-level step
    /// ends on whole levels: then the quantised images are the last ones evaluated, and the same batch through the same
    /// network gives the same bits again, so no second forward pass is needed.
    /// </summary>
    private void Finish(Tensor levels, int[] rowsToFinish, int? stoppedAt)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var quantized = levels.clamp(ImageScalars.Zero, ImageScalars.MaxLevel).round();
        float[][] quantizedProbabilities;
        if (quantized.eq(levels).all().item<bool>())
        {
            quantizedProbabilities = [.. rowsToFinish.Select(row => probabilities[row][^1])];
        }
        else
        {
            var scored = model.Probabilities(quantized.div(ImageScalars.MaxLevel)).cpu();
            quantizedProbabilities = [.. Enumerable.Range(0, rowsToFinish.Length).Select(i => scored[i].data<float>().ToArray())];
        }

        for (var i = 0; i < rowsToFinish.Length; i++)
        {
            var row = rowsToFinish[i];
            traces[row] = new AttackTrace(probabilities[row], RgbImage.FromLevels(quantized[i]), quantizedProbabilities[i], stoppedAt);
        }
    }

    /// <summary>Copies the recorded iterations of the live images (in batch order <paramref name="live"/>) to the host, in one copy.</summary>
    private void Flush(int[] live)
    {
        if (pending.Count == 0)
        {
            return;
        }

        using (var copied = stack(pending).cpu())
        {
            var values = copied.data<float>().ToArray();
            for (var i = 0; i < pending.Count; i++)
            {
                for (var r = 0; r < live.Length; r++)
                {
                    var at = ((i * live.Length) + r) * 2;
                    probabilities[live[r]].Add([values[at], values[at + 1]]);
                }
            }
        }

        foreach (var entry in pending)
        {
            entry.Dispose();
        }

        pending.Clear();
    }
}
