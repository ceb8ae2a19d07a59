using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments.Adversarial.Images;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using GradDescent.Workers.Optimization;
using GradDescent.Workers.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.Adversarial.Attack;

/// <summary>
/// Attacks B images at once: images are stacked [B, 3, H, W] and the objective is the sum of the
/// per-image objectives, so each image's gradient is its own (the victim is in eval mode, where
/// BatchNorm and dropout act per sample). Images are held as channel levels 0..255.
/// </summary>
public static class BatchedAttack
{
    /// <param name="model">The victim (eval mode; its parameters need no gradients).</param>
    /// <param name="originals">8-bit originals, all at the victim's input size.</param>
    /// <param name="settings">The group's shared attack settings.</param>
    /// <param name="trials">Each image's parameters (the optimizer reads per-trial learning rates and hyperparameters).</param>
    /// <param name="device">Device the model lives on.</param>
    public static IReadOnlyList<AttackTrace> Run(
        VictimModel model,
        IReadOnlyList<RgbImage> originals,
        AttackSettings settings,
        IReadOnlyList<ParameterSet> trials,
        Device device,
        CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        model.Network.eval();
        var levels = stack(originals.Select(o => o.ToLevels()).ToArray()).to(device);
        var history = new List<Tensor>(settings.Iterations + 1);
        var final = settings.IsSign
            ? SignAttack(model, levels, settings, history, cancellationToken)
            : OptimizerAttack(model, levels, settings, trials, device, history, cancellationToken);
        var quantized = final.clamp(ImageScalars.Zero, ImageScalars.MaxLevel).round();

        // A sign attack with a whole-level step ends on whole levels: the quantised image is the last
        // one evaluated, and the same batch through the same network gives the same bits again.
        var quantizedProbabilities = quantized.eq(final).all().item<bool>()
            ? history[^1].cpu()
            : model.Probabilities(quantized.div(ImageScalars.MaxLevel)).cpu();
        var probabilities = stack(history).cpu();
        var traces = new AttackTrace[originals.Count];
        for (var b = 0; b < traces.Length; b++)
        {
            var perIteration = Enumerable.Range(0, history.Count)
                .Select(i => probabilities[i, b].data<float>().ToArray())
                .ToList();
            traces[b] = new AttackTrace(perIteration, RgbImage.FromLevels(quantized[b]), quantizedProbabilities[b].data<float>().ToArray());
        }

        return traces;
    }

    /// <summary>The article's attack: each channel moves exactly <c>step</c> levels against the gradient's sign.</summary>
    private static Tensor SignAttack(VictimModel model, Tensor levels, AttackSettings settings, List<Tensor> history, CancellationToken cancellationToken)
    {
        var current = levels;
        using var stepLevels = settings.Step.ToScalar();
        for (var iteration = 0; ; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            var input = current.detach().requires_grad_(true);
            var (probabilities, gradient) = Evaluate(model, input.div(ImageScalars.MaxLevel), input, settings, wantGradient: iteration < settings.Iterations);
            history.Add(probabilities.MoveToOuterDisposeScope());
            if (gradient is null)
            {
                return current;
            }

            using (no_grad())
            {
                var next = (current - gradient.sign().mul(stepLevels)).clamp(ImageScalars.Zero, ImageScalars.MaxLevel).MoveToOuterDisposeScope();
                if (!ReferenceEquals(current, levels))
                {
                    current.Dispose();
                }

                current = next;
            }
        }
    }

    /// <summary>
    /// An optimizer on the perturbation δ (image units [0, 1], leading dim B) minimising the objective
    /// of clip(x + δ); after each step δ is projected to the L∞ budget and the valid image range.
    /// </summary>
    private static Tensor OptimizerAttack(
        VictimModel model,
        Tensor levels,
        AttackSettings settings,
        IReadOnlyList<ParameterSet> trials,
        Device device,
        List<Tensor> history,
        CancellationToken cancellationToken)
    {
        var original = levels.div(ImageScalars.MaxLevel);
        var delta = zeros_like(original);
        var budget = (float)(settings.Budget / 255.0);
        using var lowest = (-budget).ToScalar();
        using var highest = budget.ToScalar();
        using var optimizer = BatchedOptimizerFactory.Create(settings.Optimizer, trials, device);
        for (var iteration = 0; ; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            var input = delta.detach().requires_grad_(true);
            var (probabilities, gradient) = Evaluate(model, original.Plus(input).clamp(ImageScalars.Zero, ImageScalars.One), input, settings, wantGradient: iteration < settings.Iterations);
            history.Add(probabilities.MoveToOuterDisposeScope());
            if (gradient is null)
            {
                return original.Plus(delta).clamp(ImageScalars.Zero, ImageScalars.One).mul(ImageScalars.MaxLevel).MoveToOuterDisposeScope();
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
    /// Probabilities [B, 2] of <paramref name="images"/> (computed from the leaf <paramref name="input"/>)
    /// and, when wanted, the objective's gradient with respect to <paramref name="input"/>.
    /// </summary>
    private static (Tensor Probabilities, Tensor? Gradient) Evaluate(VictimModel model, Tensor images, Tensor input, AttackSettings settings, bool wantGradient)
    {
        if (!wantGradient)
        {
            return (model.Probabilities(images), null);
        }

        var probabilities = nn.functional.softmax(model.Network.call(images), 1);
        using var direction = settings.GradientDirection.ToScalar();
        var objective = (probabilities[.., 0] - probabilities[.., 1]).mul(direction).sum();
        var gradient = autograd.grad([objective], [input])[0];
        return (probabilities.detach(), gradient);
    }
}
