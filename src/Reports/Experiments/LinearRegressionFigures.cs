using System.Globalization;
using System.Text;
using GradDescent.Abstractions.Experiments;
using GradDescent.Reports.Analysis;
using GradDescent.Reports.Charts;
using GradDescent.Reports.Document;
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

    /// <summary>The stored data set's file name (the experiment's <c>HeightWeightArtifact.Name</c>).</summary>
    public const string DataArtifact = "data.csv";

    /// <param name="best">The contender's best run.</param>
    /// <param name="dataCsv">The run's stored data set (<see cref="DataArtifact"/>), or null when it stored none.</param>
    /// <param name="folder">Where the PNG and GIF go.</param>
    /// <param name="prefix">File-name prefix (the sweep's subfolder in a family report).</param>
    /// <param name="animate">Also write the GIF.</param>
    public static IReadOnlyList<ReportBlock> Build(BestRun best, byte[]? dataCsv, string folder, string prefix, bool animate)
    {
        ArgumentNullException.ThrowIfNull(best);
        var name = best.Contender.Contender;
        var loss = best.Series("loss");
        var slope = best.Series("slope");
        var intercept = best.Series("intercept");
        if (loss is not { Length: > 0 } || slope is not { Length: > 0 } || intercept is not { Length: > 0 })
        {
            return [new ParagraphBlock($"{name}: trial {best.Trial.TrialIndex} stored no loss/slope/intercept series, so it cannot be drawn.")];
        }

        if (dataCsv is null || Parse(dataCsv) is not { Heights.Length: > 0 } data)
        {
            return [new ParagraphBlock($"{name}: trial {best.Trial.TrialIndex} has no stored data set (stored by an older GradDescent, before trials kept their data), so there is no scatter plot; running the sweep again stores it.")];
        }

        var exact = new Line(
            StoredJsonReader.Metric(best.Stored.MetricsJson, "exact_slope") ?? double.NaN,
            StoredJsonReader.Metric(best.Stored.MetricsJson, "exact_intercept") ?? double.NaN,
            StoredJsonReader.Metric(best.Stored.MetricsJson, "exact_mse") ?? double.NaN);
        var learningRate = best.Trial.LearningRate;
        var stem = $"{prefix}regression_{ComparisonCharts.FileName(name)}";
        var blocks = new List<ReportBlock>();
        var stillPath = Path.Combine(folder, $"{stem}.png");
        if (animate)
        {
            // The animation's last frame is the still picture (the last iteration): one render, not two.
            var steps = FrameComposer.FrameSteps(loss.Length, MaxFrames);
            FrameComposer.SaveAnimation(
                steps.Count,
                i => Frame(data, loss, slope, intercept, steps[i], exact, name, learningRate),
                Path.Combine(folder, $"{stem}.gif"),
                delayCs: 12,
                lastFrameDelayCs: 200,
                last: image => image.SaveAsPng(stillPath));
        }
        else
        {
            using var still = Frame(data, loss, slope, intercept, loss.Length - 1, exact, name, learningRate);
            still.SaveAsPng(stillPath);
        }

        var sampled = StoredJsonReader.Detail(best.Stored.DetailJson, "data_points") is { } points && points > data.Heights.Length
            ? $" ({data.Heights.Length} of {points:0} people drawn, evenly spaced)"
            : string.Empty;
        blocks.Add(new FigureBlock(
            $"{stem}.png",
            $"{name} (learning rate {Numbers.Show(learningRate)}, trial {best.Trial.TrialIndex}, seed {best.Trial.Seed}): data{sampled} with the fitted line after {loss.Length - 1} iterations and the exact least-squares line; right: loss per iteration, dashed: the exact solution's loss."));
        if (animate)
        {
            var steps = FrameComposer.FrameSteps(loss.Length, MaxFrames);
            blocks.Add(new FigureBlock($"{stem}.gif", $"{name}: the fitted line moving over the data, {(steps.Count == loss.Length ? "one frame per iteration" : $"{steps.Count} evenly spaced iterations")}."));
        }

        return blocks;
    }

    /// <summary>The mean height of a stored data set: by how much the slope's gradient outgrows the intercept's.</summary>
    public static double? MeanHeight(byte[]? dataCsv) => dataCsv is not null && Parse(dataCsv) is { Heights.Length: > 0 } data ? data.Heights.Average() : null;

    /// <summary>Reads <c>height,weight</c> rows; null when the content is not such a CSV.</summary>
    private static Points? Parse(byte[] csv)
    {
        var lines = Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || lines[0] != "height,weight")
        {
            return null;
        }

        var heights = new List<double>(lines.Length);
        var weights = new List<double>(lines.Length);
        foreach (var line in lines.Skip(1))
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0
                || !double.TryParse(line.AsSpan(0, comma), NumberStyles.Float, CultureInfo.InvariantCulture, out var h)
                || !double.TryParse(line.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var w))
            {
                return null;
            }

            heights.Add(h);
            weights.Add(w);
        }

        return new Points([.. heights], [.. weights]);
    }

    private sealed record Points(double[] Heights, double[] Weights);

    private sealed record Line(double Slope, double Intercept, double Mse);

    private static Image<Rgba32> Frame(
        Points data, float[] loss, float[] slope, float[] intercept, int step, Line exact, string optimizer, double? learningRate)
    {
        var heights = data.Heights;
        var weights = data.Weights;
        var exactMse = exact.Mse;
        var fit = ChartStyle.NewPlot($"{optimizer}, iteration {step}", "height (in)", "weight (lb)");
        fit.Title($"{optimizer} (lr {Numbers.Show(learningRate)}), iteration {step}", size: 14);
        var points = fit.Add.ScatterPoints(heights, weights, ChartStyle.ColorOf(0).WithAlpha(0.6));
        points.LegendText = $"data ({heights.Length} people)";
        points.MarkerSize = 4;
        double x0 = heights.Min(), x1 = heights.Max();
        if (double.IsFinite(exact.Slope) && double.IsFinite(exact.Intercept))
        {
            var exactLine = fit.Add.Line(x0, (exact.Slope * x0) + exact.Intercept, x1, (exact.Slope * x1) + exact.Intercept);
            exactLine.Color = Colors.Gray;
            exactLine.LinePattern = LinePattern.Dashed;
            exactLine.LineWidth = 2;
            exactLine.LegendText = "exact least squares";
        }
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

        var finite = loss.Where(float.IsFinite).Select(v => (double)v).Append(exactMse).Where(double.IsFinite).ToList();
        var log = ComparisonCharts.UseLog(finite, MetricGoal.Minimize);
        var curve = ChartStyle.NewPlot("Loss (mean squared error)", "iteration", log ? "loss, lb² (log scale)" : "loss, lb²");
        curve.Title("Loss (mean squared error)", size: 14);
        var xs = Enumerable.Range(0, step + 1).Select(i => (double)i).ToArray();
        var ys = loss.Take(step + 1).Select(v => log ? Math.Log10(v) : v).ToArray();
        var lossLine = curve.Add.Scatter(xs, ys, ChartStyle.ColorOf(3));
        lossLine.LineWidth = 2;
        lossLine.MarkerSize = 0;
        lossLine.LegendText = "loss";
        if (double.IsFinite(exactMse))
        {
            var reference = curve.Add.HorizontalLine(log ? Math.Log10(exactMse) : exactMse);
            reference.LinePattern = LinePattern.Dashed;
            reference.Color = Colors.Gray;
            reference.LegendText = $"exact solution ({Numbers.Show(exactMse)})";
        }
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
}
