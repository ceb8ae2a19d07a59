using System.Globalization;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Trials;
using GradDescent.Workers.Experiments.Adversarial.Attack;
using GradDescent.Workers.Experiments.Adversarial.Images;

namespace GradDescent.Workers.Experiments.Adversarial;

/// <summary>Turns one image's <see cref="AttackTrace"/> into the trial's metrics, step series and detail document.</summary>
public static class AttackReport
{
    /// <summary>The attacked image as the victim saw it (artefact and file name).</summary>
    public const string OriginalImage = "original.png";

    /// <summary>The image after the attack, 8-bit as stored (artefact and file name).</summary>
    public const string AdversarialImage = "adversarial.png";

    public const string PngMediaType = "image/png";

    /// <param name="trace">What the attack did.</param>
    /// <param name="subject">The original image and its name.</param>
    /// <param name="settings">The attack's settings.</param>
    /// <param name="victim">How reports name the victim (a path or the synthetic stand-in's description).</param>
    /// <param name="outFolder">Where to write original.png and adversarial.png; null: nowhere.</param>
    /// <param name="files">Writes into <paramref name="outFolder"/>.</param>
    /// <param name="keepImages">Store original.png and adversarial.png with the trial (parameter <c>keep_images</c>).</param>
    /// <exception cref="Abstractions.Parameters.ParameterException">The images cannot be written (parameter <c>out</c>).</exception>
    public static TrialOutcome Build(
        AttackTrace trace, AttackSubject subject, AttackSettings settings, string victim, ConfinedFolder? outFolder, FileGate files, bool keepImages = true)
    {
        var target = (int)settings.Target;
        var labels = trace.Probabilities.Select(p => p[1] > p[0] ? 1 : 0).ToArray();
        var startedAtTarget = labels[0] == target;
        var flippedAt = trace.Probabilities.Select((_, i) => !startedAtTarget && labels[i] == target).ToArray();
        var final = trace.Probabilities[^1];
        var flipped = flippedAt[^1];
        var histogram = PixelChangeHistogram.Compute(subject.Image, trace.Adversarial);
        var linf = PixelChangeHistogram.MaxAbsoluteChange(histogram);

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["p_cat"] = final[0],
            ["p_dog"] = final[1],
            ["target_probability"] = final[target],
            ["original_target_probability"] = trace.Probabilities[0][target],
            ["flipped"] = flipped ? 1 : 0,
            ["linf"] = linf,
        };
        if (flipped)
        {
            metrics["iterations_to_flip"] = Array.IndexOf(flippedAt, true);
        }

        var history = new List<StepSeries>
        {
            new("target_probability", trace.Probabilities.Select(p => p[target]).ToArray()),
            new("p_cat", trace.Probabilities.Select(p => p[0]).ToArray()),
            new("p_dog", trace.Probabilities.Select(p => p[1]).ToArray()),
        };

        var histogramJson = new JsonObject();
        foreach (var (change, count) in histogram)
        {
            histogramJson[change.ToString(CultureInfo.InvariantCulture)] = count;
        }

        var detail = new JsonObject
        {
            ["victim"] = victim,
            ["image"] = subject.Name,
            ["target"] = settings.Target.ToString().ToLowerInvariant(),
            ["optimizer"] = settings.Optimizer,
            ["probabilities"] = new JsonArray(trace.Probabilities.Select(p => (JsonNode)new JsonArray(p[0], p[1])).ToArray()),
            ["flipped"] = new JsonArray(flippedAt.Select(f => (JsonNode)f).ToArray()),
            ["quantized_probabilities"] = new JsonArray(trace.QuantizedProbabilities[0], trace.QuantizedProbabilities[1]),
            ["pixel_change_histogram"] = histogramJson,
        };

        var artifacts = new List<TrialArtifact>();
        if (outFolder is not null || keepImages)
        {
            var original = ImageFiles.EncodePng(subject.Image);
            var adversarial = ImageFiles.EncodePng(trace.Adversarial);
            if (outFolder is not null)
            {
                ArgumentNullException.ThrowIfNull(files);
                detail["original_png"] = files.WriteFile(outFolder, OriginalImage, original);
                detail["adversarial_png"] = files.WriteFile(outFolder, AdversarialImage, adversarial);
            }

            if (keepImages)
            {
                artifacts.Add(TrialArtifact.FromContent(OriginalImage, PngMediaType, original));
                artifacts.Add(TrialArtifact.FromContent(AdversarialImage, PngMediaType, adversarial));
            }
        }

        var diverged = trace.Probabilities.Select((p, i) => (p, i)).FirstOrDefault(x => !float.IsFinite(x.p[0]) || !float.IsFinite(x.p[1]));
        return new TrialOutcome(metrics, history, detail, diverged.p is null ? null : diverged.i, trace.StoppedAt) { Artifacts = artifacts };
    }
}
