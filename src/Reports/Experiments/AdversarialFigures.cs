using System.Globalization;
using System.Text.Json;
using GradDescent.Reports.Analysis;
using GradDescent.Reports.Charts;
using GradDescent.Reports.Document;
using ScottPlot;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace GradDescent.Reports.Experiments;

/// <summary>
/// Adversarial-attack pictures from the stored trials: for the best attacks, the original and the attacked image with
/// their difference (the images the attack made, stored with the trial), the target probability per iteration, the
/// article's bar chart of class probabilities for the best attack, and its pixel-change histogram.
/// </summary>
public static class AdversarialFigures
{
    /// <summary>Artefact names (the experiment's <c>AttackReport.OriginalImage</c> and <c>AdversarialImage</c>).</summary>
    public const string OriginalImage = "original.png";

    public const string AdversarialImage = "adversarial.png";

    /// <summary>Each image is drawn this many pixels wide (nearest neighbour, so single pixel changes stay visible).</summary>
    private const int ImageSize = 256;

    /// <summary>The difference image is amplified this much (changes of a few 1/255 become visible).</summary>
    private const int DifferenceGain = 16;

    /// <param name="comparison">The sweep.</param>
    /// <param name="best">The best attacks, best first (each contender's best run).</param>
    /// <param name="images">Each run's stored original and adversarial PNG, when it stored them.</param>
    /// <param name="folder">Where the files go.</param>
    /// <param name="prefix">File-name prefix.</param>
    public static IReadOnlyList<ReportBlock> Build(
        SweepComparison comparison, IReadOnlyList<BestRun> best, IReadOnlyDictionary<BestRun, (byte[] Original, byte[] Adversarial)> images, string folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(best);
        ArgumentNullException.ThrowIfNull(images);
        var blocks = new List<ReportBlock>();
        foreach (var run in best)
        {
            if (!images.TryGetValue(run, out var pair))
            {
                blocks.Add(new ParagraphBlock($"{run.Contender.Contender}: trial {run.Trial.TrialIndex} stored no images (keep_images=false, or stored by an older GradDescent)."));
                continue;
            }

            var file = $"{prefix}attack_{ComparisonCharts.FileName(run.Contender.Contender)}.png";
            using (var composed = Pair(pair.Original, pair.Adversarial))
            {
                composed.SaveAsPng(Path.Combine(folder, file));
            }

            var final = run.Trial.PrimaryMetric;
            var start = run.Series(comparison.Definition.StepMetric) is { Length: > 0 } series ? series[0] : (float?)null;
            blocks.Add(new FigureBlock(file,
                $"{run.Contender.Contender}{Verdict.Setting(comparison, run.Contender.Best!)} (trial {run.Trial.TrialIndex}, seed {run.Trial.Seed}): the original image, the attacked image, "
                + $"and their difference ×{DifferenceGain} (grey: unchanged); target probability {Numbers.Show(start)} → {Numbers.Show(final)}."));
        }

        var paths = best.Select(r => (r.Contender.Contender, Values: r.Series(comparison.Definition.StepMetric))).Where(p => p.Values is { Length: > 1 }).ToList();
        if (paths.Count > 0)
        {
            var plot = ChartStyle.NewPlot("Target probability per iteration", "iteration (0 = original image)", "probability of the target class");
            for (var i = 0; i < paths.Count; i++)
            {
                var values = paths[i].Values!;
                var line = plot.Add.Scatter(Enumerable.Range(0, values.Length).Select(x => (double)x).ToArray(), values.Select(v => (double)v).ToArray(), ChartStyle.ColorOf(i));
                line.LegendText = paths[i].Contender;
                line.LineWidth = 2;
                line.MarkerSize = values.Length <= 40 ? 5 : 0;
            }

            var half = plot.Add.HorizontalLine(0.5);
            half.LinePattern = LinePattern.Dotted;
            half.Color = Colors.Gray;
            plot.Axes.SetLimitsY(0, 1.05);
            plot.ShowLegend(Alignment.LowerRight);
            var file = $"{prefix}attack_paths.png";
            ChartStyle.Save(plot, Path.Combine(folder, file));
            blocks.Add(new FigureBlock(file, "The probability of the target class after each iteration of the best attacks; above the dotted 0.5 the label has flipped."));
        }

        if (best.Count > 0 && best[0].Stored.DetailJson is { } detail)
        {
            blocks.AddRange(DetailFigures(best[0], detail, folder, prefix));
        }

        return blocks;
    }

    /// <summary>Original | adversarial | amplified difference, each <see cref="ImageSize"/> wide.</summary>
    private static Image<Rgba32> Pair(byte[] originalPng, byte[] adversarialPng)
    {
        using var original = SixLabors.ImageSharp.Image.Load<Rgba32>(originalPng);
        using var adversarial = SixLabors.ImageSharp.Image.Load<Rgba32>(adversarialPng);
        using var difference = new Image<Rgba32>(original.Width, original.Height);
        for (var y = 0; y < original.Height; y++)
        {
            for (var x = 0; x < original.Width; x++)
            {
                var a = original[x, y];
                var b = x < adversarial.Width && y < adversarial.Height ? adversarial[x, y] : a;
                difference[x, y] = new Rgba32(Amplify(b.R - a.R), Amplify(b.G - a.G), Amplify(b.B - a.B));
            }
        }

        const int gap = 8;
        var canvas = new Image<Rgba32>((3 * ImageSize) + (2 * gap), ImageSize, new Rgba32(255, 255, 255));
        var panels = new[] { original, adversarial, difference };
        for (var i = 0; i < panels.Length; i++)
        {
            using var scaled = panels[i].Clone(c => c.Resize(ImageSize, ImageSize, KnownResamplers.NearestNeighbor));
            var offset = new SixLabors.ImageSharp.Point(i * (ImageSize + gap), 0);
            canvas.Mutate(c => c.DrawImage(scaled, offset, 1f));
        }

        return canvas;
    }

    private static byte Amplify(int change) => (byte)Math.Clamp(128 + (change * DifferenceGain), 0, 255);

    private static IEnumerable<ReportBlock> DetailFigures(BestRun best, string detailJson, string folder, string prefix)
    {
        using var document = JsonDocument.Parse(detailJson);
        var root = document.RootElement;
        var name = best.Contender.Contender;
        if (root.TryGetProperty("probabilities", out var probabilities) && probabilities.ValueKind == JsonValueKind.Array)
        {
            var rows = probabilities.EnumerateArray().Select(p => p.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number ? x.GetDouble() : double.NaN).ToArray()).ToList();
            var plot = ChartStyle.NewPlot($"Class probabilities per iteration ({name})", "iteration (0 = original image)", "probability");
            var bars = new List<Bar>();
            for (var i = 0; i < rows.Count; i++)
            {
                bars.Add(new Bar { Position = (i * 3) + 0, Value = rows[i][0], FillColor = ChartStyle.ColorOf(0) });
                bars.Add(new Bar { Position = (i * 3) + 1, Value = rows[i][1], FillColor = ChartStyle.ColorOf(1) });
            }

            plot.Add.Bars(bars);
            var labelEvery = Math.Max(1, rows.Count / 12);
            var ticks = Enumerable.Range(0, rows.Count).Where(i => i % labelEvery == 0).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                ticks.Select(i => (i * 3) + 0.5).ToArray(), ticks.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "P(cat)", FillColor = ChartStyle.ColorOf(0) });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "P(dog)", FillColor = ChartStyle.ColorOf(1) });
            plot.ShowLegend(Alignment.UpperRight);
            plot.Axes.SetLimitsY(0, 1.05);
            var file = $"{prefix}attack_probabilities.png";
            ChartStyle.Save(plot, Path.Combine(folder, file));
            yield return new FigureBlock(file, $"The victim's probabilities for cat and dog after each iteration of the best attack ({name}), as in the article.");
        }

        if (root.TryGetProperty("pixel_change_histogram", out var histogram) && histogram.ValueKind == JsonValueKind.Object)
        {
            var cells = histogram.EnumerateObject()
                .Select(p => (Change: double.Parse(p.Name, CultureInfo.InvariantCulture), Count: p.Value.GetDouble()))
                .OrderBy(c => c.Change).ToList();
            var plot = ChartStyle.NewPlot("Pixel-channel changes", "change of a channel value (1/255 units)", "channels");
            plot.Add.Bars(cells.Select(c => c.Change).ToArray(), cells.Select(c => c.Count).ToArray());
            var file = $"{prefix}pixel_changes.png";
            ChartStyle.Save(plot, Path.Combine(folder, file));
            yield return new FigureBlock(file, $"How many channel values the best attack ({name}) changed by how much.");
        }
    }
}
