using System.Globalization;
using System.Text.Json;
using GradDescent.Reports.Charts;
using GradDescent.Reports.Document;
using ScottPlot;

namespace GradDescent.Reports.Experiments;

/// <summary>
/// Adversarial-attack pictures for the best run: the class probabilities at each iteration (the article's bar figure), the
/// pixel-change histogram, and the original and adversarial images when the trial saved them (its <c>out</c> parameter).
/// </summary>
public static class AdversarialFigures
{
    public static IReadOnlyList<ReportBlock> Build(BestTrial best, string folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(best);
        if (best.Stored.DetailJson is null)
        {
            return [];
        }

        using var document = JsonDocument.Parse(best.Stored.DetailJson);
        var root = document.RootElement;
        var blocks = new List<ReportBlock>();
        var name = best.Summary.Optimizer;
        if (root.TryGetProperty("original_png", out var original) && root.TryGetProperty("adversarial_png", out var adversarial)
            && File.Exists(original.GetString()) && File.Exists(adversarial.GetString()))
        {
            File.Copy(original.GetString()!, Path.Combine(folder, $"{prefix}original.png"));
            File.Copy(adversarial.GetString()!, Path.Combine(folder, $"{prefix}adversarial.png"));
            blocks.Add(new FigureBlock($"{prefix}original.png", "Original image."));
            blocks.Add(new FigureBlock($"{prefix}adversarial.png", $"Adversarial image ({name}, trial {best.Trial.TrialIndex})."));
        }
        else
        {
            blocks.Add(new ParagraphBlock(
                $"The images of trial {best.Trial.TrialIndex} were not saved: run that trial again with out=FOLDER (graddescent trial adversarial ... out=FOLDER) to get original.png and adversarial.png; the attack is deterministic."));
        }

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
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                Enumerable.Range(0, rows.Count).Select(i => (i * 3) + 0.5).ToArray(),
                Enumerable.Range(0, rows.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "P(cat)", FillColor = ChartStyle.ColorOf(0) });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "P(dog)", FillColor = ChartStyle.ColorOf(1) });
            plot.ShowLegend(Alignment.UpperRight);
            plot.Axes.SetLimitsY(0, 1.05);
            var file = $"{prefix}attack_probabilities.png";
            ChartStyle.Save(plot, Path.Combine(folder, file));
            blocks.Add(new FigureBlock(file, "The victim's probabilities for cat and dog after each attack iteration."));
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
            blocks.Add(new FigureBlock(file, "How many channel values changed by how much between the original and the adversarial image."));
        }

        return blocks;
    }
}
