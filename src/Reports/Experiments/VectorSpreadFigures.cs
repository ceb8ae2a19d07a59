using System.Text.Json;
using GradDescent.Reports.Charts;
using GradDescent.Reports.Document;
using ScottPlot;

namespace GradDescent.Reports.Experiments;

/// <summary>Vector-spread pictures: the final configuration of the winner, and the gap to the known optimum per iteration.</summary>
public static class VectorSpreadFigures
{
    public static IReadOnlyList<ReportBlock> Build(SweepReportData data, string folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(data);
        var blocks = new List<ReportBlock>();
        if (data.BestTrials.Count > 0 && Vectors(data.BestTrials[0].Stored.DetailJson) is { Count: > 0 } vectors)
        {
            var best = data.BestTrials[0];
            var file = $"{prefix}spread_configuration.png";
            Configuration(vectors, best).SavePng(Path.Combine(folder, file), 600, 600);
            var dims = vectors[0].Length;
            blocks.Add(new FigureBlock(file, dims == 2
                ? $"Final configuration of the best run ({best.Summary.Optimizer}, trial {best.Trial.TrialIndex}): {vectors.Count} unit vectors on the circle."
                : $"Final configuration of the best run ({best.Summary.Optimizer}, trial {best.Trial.TrialIndex}): {vectors.Count} unit vectors in {dims} dimensions, projected onto a fixed oblique plane (first three coordinates)."));
        }

        var optimum = data.BestTrials.Select(b => StoredJsonReader.Metric(b.Stored.MetricsJson, "known_optimum_deg")).FirstOrDefault(o => o is not null);
        if (optimum is { } known)
        {
            var plot = ChartStyle.NewPlot($"Gap to the known optimum ({Numbers.Show(known)}°)", "iteration", "optimum − min angle, degrees (log scale)");
            for (var i = 0; i < data.BestTrials.Count; i++)
            {
                if (SweepReportData.Series(data.BestTrials[i], "min_angle_deg") is not { Length: > 0 } angles)
                {
                    continue;
                }

                var xs = Enumerable.Range(0, angles.Length).Select(x => (double)x).ToArray();
                var ys = angles.Select(a => Math.Log10(Math.Max(known - a, 1e-4))).ToArray();
                var line = plot.Add.Scatter(xs, ys, ChartStyle.ColorOf(i));
                line.LegendText = data.BestTrials[i].Summary.Optimizer;
                line.MarkerSize = 0;
                line.LineWidth = 2;
            }

            ChartStyle.LogTicks(plot.Axes.Left);
            plot.ShowLegend(Edge.Right);
            var file = $"{prefix}spread_gap.png";
            ChartStyle.Save(plot, Path.Combine(folder, file));
            blocks.Add(new FigureBlock(file, "Known optimum minus the minimum pairwise angle per iteration for each optimizer's best run (gaps below 1e-4° drawn at 1e-4°)."));
        }

        return blocks;
    }

    private static Plot Configuration(List<double[]> vectors, BestTrial best)
    {
        var dims = vectors[0].Length;
        var plot = ChartStyle.NewPlot(
            $"{vectors.Count} vectors in {dims}-D, min angle {Numbers.Show(best.Trial.PrimaryMetric)}°", dims == 2 ? "x" : "projection u", dims == 2 ? "y" : "projection v");
        var circle = plot.Add.Circle(0, 0, 1);
        circle.LineColor = Colors.Gray;
        circle.LinePattern = LinePattern.Dashed;
        foreach (var v in vectors)
        {
            var (x, y) = Project(v);
            var line = plot.Add.Line(0, 0, x, y);
            line.Color = ChartStyle.ColorOf(0);
            line.LineWidth = 1.5f;
            var tip = plot.Add.Marker(x, y);
            tip.Color = ChartStyle.ColorOf(3);
            tip.Size = 7;
        }

        plot.Axes.SetLimits(-1.15, 1.15, -1.15, 1.15);
        plot.Axes.SquareUnits();
        return plot;
    }

    /// <summary>2-D: as is. More dimensions: an oblique orthographic view of the first three coordinates.</summary>
    private static (double X, double Y) Project(double[] v)
    {
        if (v.Length == 2)
        {
            return (v[0], v[1]);
        }

        double a = v[0], b = v[1], c = v.Length > 2 ? v[2] : 0;
        return ((a * 0.8660) - (b * 0.8660), (a * -0.5) + (b * -0.5) + c);
    }

    private static List<double[]>? Vectors(string? detailJson)
    {
        if (detailJson is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(detailJson);
        if (!document.RootElement.TryGetProperty("vectors", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return [.. rows.EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number ? x.GetDouble() : double.NaN).ToArray())];
    }
}
