using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Parameters;
using GradDescent.Reports.Charts;
using GradDescent.Reports.Document;
using GradDescent.Workers.Experiments.LinearRegression;
using ScottPlot;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GradDescent.Reports.Experiments;

/// <summary>
/// The article's linear-regression pictures for an optimizer's best run: the data with the fitted line beside the loss
/// curve (exact least-squares loss as a reference), and the same as an animation, one frame per iteration.
/// </summary>
public static class LinearRegressionFigures
{
    private const int PanelWidth = 440;
    private const int PanelHeight = 330;

    /// <summary>Longer runs are animated on evenly spaced iterations, this many frames at most.</summary>
    private const int MaxFrames = 100;

    /// <param name="best">The optimizer's best trial.</param>
    /// <param name="folder">Where the PNG and GIF go.</param>
    /// <param name="prefix">File-name prefix (the sweep's subfolder in a family report).</param>
    /// <param name="animate">Also write the GIF.</param>
    /// <param name="files">Through which the trial's data file is re-read (the synthetic sample needs none).</param>
    public static IReadOnlyList<ReportBlock> Build(BestTrial best, string folder, string prefix, bool animate, FileGate files)
    {
        ArgumentNullException.ThrowIfNull(best);
        var loss = SweepReportData.Series(best, "loss");
        var slope = SweepReportData.Series(best, "slope");
        var intercept = SweepReportData.Series(best, "intercept");
        if (loss is not { Length: > 0 } || slope is not { Length: > 0 } || intercept is not { Length: > 0 })
        {
            return [new ParagraphBlock($"{best.Summary.Optimizer}: trial {best.Trial.TrialIndex} stored no loss/slope/intercept series, so it cannot be drawn.")];
        }

        HeightWeightData data;
        try
        {
            data = new HeightWeightDataSource(files).Load(StoredJsonReader.Parameter(best.Stored.ParametersJson, "data"));
        }
        catch (ParameterException error)
        {
            return [new ParagraphBlock($"{best.Summary.Optimizer}: the data of trial {best.Trial.TrialIndex} cannot be re-read ({error.Message}); no scatter plot.")];
        }

        var exactMse = StoredJsonReader.Metric(best.Stored.MetricsJson, "exact_mse") ?? data.Exact.Mse;
        var name = best.Summary.Optimizer;
        var stem = $"{prefix}regression_{FileName(name)}";
        var blocks = new List<ReportBlock>();
        using (var still = Frame(data, loss, slope, intercept, loss.Length - 1, exactMse, name, best.Summary.BestLearningRate))
        {
            still.SaveAsPng(Path.Combine(folder, $"{stem}.png"));
        }

        blocks.Add(new FigureBlock(
            $"{stem}.png",
            $"{name} (learning rate {Numbers.Show(best.Summary.BestLearningRate)}, trial {best.Trial.TrialIndex}, seed {best.Trial.Seed}): data with the fitted line after {loss.Length - 1} iterations and the exact least-squares line; right: loss per iteration, dashed: the exact solution's loss."));
        if (animate)
        {
            var steps = FrameSteps(loss.Length);
            var frames = new Image<Rgba32>[steps.Count];
            try
            {
                Parallel.For(0, steps.Count, i => frames[i] = Frame(data, loss, slope, intercept, steps[i], exactMse, name, best.Summary.BestLearningRate));
                FrameComposer.SaveGif(frames, Path.Combine(folder, $"{stem}.gif"), delayCs: 12, lastFrameDelayCs: 200);
            }
            finally
            {
                foreach (var frame in frames)
                {
                    frame?.Dispose();
                }
            }

            blocks.Add(new FigureBlock($"{stem}.gif", $"{name}: the fitted line moving over the data, {(steps.Count == loss.Length ? "one frame per iteration" : $"{steps.Count} evenly spaced iterations")}."));
        }

        return blocks;
    }

    private static List<int> FrameSteps(int length) =>
        length <= MaxFrames
            ? [.. Enumerable.Range(0, length)]
            : [.. Enumerable.Range(0, MaxFrames).Select(i => (int)Math.Round(i * (length - 1) / (double)(MaxFrames - 1))).Distinct()];

    private static Image<Rgba32> Frame(
        HeightWeightData data, float[] loss, float[] slope, float[] intercept, int step, double exactMse, string optimizer, double? learningRate)
    {
        var heights = data.Heights.Select(h => (double)h).ToArray();
        var weights = data.Weights.Select(w => (double)w).ToArray();
        var fit = ChartStyle.NewPlot($"{optimizer}, iteration {step}", "height (in)", "weight (lb)");
        fit.Title($"{optimizer} (lr {Numbers.Show(learningRate)}), iteration {step}", size: 14);
        var points = fit.Add.ScatterPoints(heights, weights, ChartStyle.ColorOf(0).WithAlpha(0.6));
        points.LegendText = $"data ({data.Count} people)";
        points.MarkerSize = 4;
        double x0 = heights.Min(), x1 = heights.Max();
        var exact = fit.Add.Line(x0, (data.Exact.Slope * x0) + data.Exact.Intercept, x1, (data.Exact.Slope * x1) + data.Exact.Intercept);
        exact.Color = Colors.Gray;
        exact.LinePattern = LinePattern.Dashed;
        exact.LineWidth = 2;
        exact.LegendText = "exact least squares";
        if (float.IsFinite(slope[step]) && float.IsFinite(intercept[step]))
        {
            var line = fit.Add.Line(x0, (slope[step] * x0) + intercept[step], x1, (slope[step] * x1) + intercept[step]);
            line.Color = ChartStyle.ColorOf(3);
            line.LineWidth = 3;
            line.LegendText = "gradient descent";
        }

        double yPad = (weights.Max() - weights.Min()) * 0.15;
        fit.Axes.SetLimits(x0 - 1, x1 + 1, weights.Min() - yPad, weights.Max() + yPad);
        fit.ShowLegend(Alignment.UpperLeft);

        var finite = loss.Where(float.IsFinite).Select(v => (double)v).Append(exactMse).ToList();
        var log = OptimizerCharts.UseLog(finite, MetricGoal.Minimize);
        var curve = ChartStyle.NewPlot("Loss (mean squared error)", "iteration", log ? "loss, lb² (log scale)" : "loss, lb²");
        curve.Title("Loss (mean squared error)", size: 14);
        var xs = Enumerable.Range(0, step + 1).Select(i => (double)i).ToArray();
        var ys = loss.Take(step + 1).Select(v => log ? Math.Log10(v) : v).ToArray();
        var lossLine = curve.Add.Scatter(xs, ys, ChartStyle.ColorOf(3));
        lossLine.LineWidth = 2;
        lossLine.MarkerSize = 0;
        lossLine.LegendText = "loss";
        var reference = curve.Add.HorizontalLine(log ? Math.Log10(exactMse) : exactMse);
        reference.LinePattern = LinePattern.Dashed;
        reference.Color = Colors.Gray;
        reference.LegendText = $"exact solution ({Numbers.Show(exactMse)})";
        var lo = log ? Math.Log10(finite.Min()) : Math.Min(0, finite.Min());
        var hi = log ? Math.Log10(finite.Max()) : finite.Max();
        var pad = Math.Max((hi - lo) * 0.05, 1e-9);
        curve.Axes.SetLimits(0, Math.Max(1, loss.Length - 1), lo - pad, hi + pad);
        if (log)
        {
            ChartStyle.LogTicks(curve.Axes.Left);
        }

        curve.ShowLegend(Alignment.UpperRight);
        return FrameComposer.SideBySide([fit, curve], PanelWidth, PanelHeight);
    }

    private static string FileName(string text) => new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
