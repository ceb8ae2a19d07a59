using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Search;
using GradDescent.Workers.Devices;
using GradDescent.Workers.Experiments.Adversarial.Images;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using GradDescent.Workers.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.Adversarial.Attack;

/// <summary>
/// Attacks B images at once: images are stacked [B, 3, H, W] and the objective is the sum of the
/// per-image objectives, so each image's gradient is its own (the victim is in eval mode, where
/// BatchNorm and dropout act per sample). Images are held as channel levels 0..255. With an
/// early-stopping plan, the probabilities are copied to the host at each checkpoint, and the images the
/// plan stops end there: they are quantised and scored as a finished attack's are, and dropped from the
/// batch, so they cost nothing afterwards.
/// </summary>
public static class BatchedAttack
{
    /// <param name="model">The victim (eval mode; its parameters need no gradients).</param>
    /// <param name="originals">8-bit originals, all at the victim's input size.</param>
    /// <param name="settings">The group's shared attack settings.</param>
    /// <param name="trials">Each image's parameters (the optimizer reads per-trial learning rates and hyperparameters).</param>
    /// <param name="device">Device the model lives on.</param>
    /// <param name="cancellationToken">Checked between iterations.</param>
    /// <param name="stopping">The lease's early-stopping plan on the target probability, or null.</param>
    public static IReadOnlyList<AttackTrace> Run(
        VictimModel model,
        IReadOnlyList<RgbImage> originals,
        AttackSettings settings,
        IReadOnlyList<ParameterSet> trials,
        Device device,
        CancellationToken cancellationToken,
        StoppingPlan? stopping = null)
    {
        using var scope = NewDisposeScope();
        model.Network.eval();
        var run = new AttackRun(model, settings, originals.Count, stopping);
        var levels = stack(originals.Select(o => o.ToLevels()).ToArray()).to(device);
        if (settings.IsSign)
        {
            SignAttack(run, levels, cancellationToken);
        }
        else
        {
            using var optimizer = BatchedOptimizerFactory.Create(settings.Optimizer, trials, device);
            OptimizerAttack(run, levels, optimizer, cancellationToken);
        }

        return run.Traces;
    }

    /// <summary>The article's attack: each channel moves exactly <c>step</c> levels against the gradient's sign.</summary>
    private static void SignAttack(AttackRun run, Tensor levels, CancellationToken cancellationToken)
    {
        var current = levels;
        using var stepLevels = run.Settings.Step.ToScalar();
        for (var iteration = 0; ; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            var input = current.detach().requires_grad_(true);
            var (probabilities, gradient) = Evaluate(run, input.div(ImageScalars.MaxLevel), input, wantGradient: iteration < run.Settings.Iterations);
            run.Record(probabilities);
            if (gradient is null)
            {
                run.Finish(current);
                return;
            }

            if (run.AtCheckpoint && run.Decide(current) is { } keep)
            {
                if (keep.shape[0] == 0)
                {
                    return;
                }

                current = Replace(current, current.index_select(0, keep), levels);
                gradient = gradient.index_select(0, keep);
            }

            using (no_grad())
            {
                current = Replace(current, (current - gradient.sign().mul(stepLevels)).clamp(ImageScalars.Zero, ImageScalars.MaxLevel), levels);
            }
        }
    }

    /// <summary>
    /// An optimizer on the perturbation δ (image units [0, 1], leading dim B) minimising the objective
    /// of clip(x + δ); after each step δ is projected to the L∞ budget and the valid image range.
    /// </summary>
    private static void OptimizerAttack(AttackRun run, Tensor levels, IBatchedOptimizer optimizer, CancellationToken cancellationToken)
    {
        var original = levels.div(ImageScalars.MaxLevel);
        var delta = zeros_like(original);
        var budget = (float)(run.Settings.Budget / 255.0);
        using var lowest = (-budget).ToScalar();
        using var highest = budget.ToScalar();
        for (var iteration = 0; ; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            var input = delta.detach().requires_grad_(true);
            var (probabilities, gradient) = Evaluate(run, original.Plus(input).clamp(ImageScalars.Zero, ImageScalars.One), input, wantGradient: iteration < run.Settings.Iterations);
            run.Record(probabilities);
            if (gradient is null)
            {
                run.Finish(Levels(original, delta));
                return;
            }

            if (run.AtCheckpoint && run.Decide(Levels(original, delta)) is { } keep)
            {
                if (keep.shape[0] == 0)
                {
                    return;
                }

                original = Replace(original, original.index_select(0, keep), null);
                delta = Replace(delta, delta.index_select(0, keep), null);
                gradient = gradient.index_select(0, keep);
                optimizer.Keep(keep);
            }

            optimizer.Step([delta], [gradient]);
            using (no_grad())
            {
                delta.clamp_(lowest, highest);
                delta.copy_(original.Plus(delta).clamp(ImageScalars.Zero, ImageScalars.One) - original);
            }
        }
    }

    /// <summary>
    /// <paramref name="next"/>, moved out of the iteration's dispose scope, in place of <paramref name="current"/>,
    /// which is freed at once (unless it is <paramref name="keepAlive"/>): an attack holds one batch of images, not one per iteration.
    /// </summary>
    private static Tensor Replace(Tensor current, Tensor next, Tensor? keepAlive)
    {
        next.MoveToOuterDisposeScope();
        if (!ReferenceEquals(current, keepAlive))
        {
            current.Dispose();
        }

        return next;
    }

    /// <summary>The attacked images as channel levels (not yet quantised).</summary>
    private static Tensor Levels(Tensor original, Tensor delta) =>
        original.Plus(delta).clamp(ImageScalars.Zero, ImageScalars.One).mul(ImageScalars.MaxLevel);

    /// <summary>
    /// Probabilities [B, 2] of <paramref name="images"/> (computed from the leaf <paramref name="input"/>)
    /// and, when wanted, the objective's gradient with respect to <paramref name="input"/>.
    /// </summary>
    private static (Tensor Probabilities, Tensor? Gradient) Evaluate(AttackRun run, Tensor images, Tensor input, bool wantGradient)
    {
        if (!wantGradient)
        {
            return (run.Model.Probabilities(images), null);
        }

        var probabilities = nn.functional.softmax(run.Model.Network.call(images), 1);
        using var direction = run.Settings.GradientDirection.ToScalar();
        var objective = (probabilities[.., 0] - probabilities[.., 1]).mul(direction).sum();
        var gradient = autograd.grad([objective], [input])[0];
        return (probabilities.detach(), gradient);
    }
}
