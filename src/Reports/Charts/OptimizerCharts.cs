using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Reports.Document;
using ScottPlot;

namespace GradDescent.Reports.Charts;

/// <summary>The optimizer-comparison charts every sweep gets: curves of the best runs, final metric against learning rate, heatmap.</summary>
public static class OptimizerCharts
{
    /// <summary>Heatmap columns: distinct learning rates up to this many, otherwise log-spaced bins.</summary>
    private const int MaxHeatmapColumns = 24;

    /// <summary>The step metric against iteration for each optimizer's best run.</summary>
    public static FigureBlock Curves(SweepReportData data, string folder, string prefix)
    {
        var metric = data.Definition.StepMetric;
        var series = data.BestTrials
            .Select(t => (t.Summary.Optimizer, Values: SweepReportData.Series(t, metric)))
            .Where(s => s.Values is { Length: > 0 })
            .ToList();
        var log = UseLog(series.SelectMany(s => s.Values!.Select(v => (double)v)), data.Definition.Goal);
        var plot = ChartStyle.NewPlot(
            $"{metric} of each optimizer's best run", "iteration", log ? $"{metric} (log scale)" : metric);
        for (var i = 0; i < series.Count; i++)
        {
            var values = series[i].Values!;
            var xs = Enumerable.Range(0, values.Length).Select(x => (double)x).ToArray();
            var ys = values.Select(v => log ? Math.Log10(v) : v).ToArray();
            var line = plot.Add.Scatter(xs, ys, ChartStyle.ColorOf(i));
            line.LegendText = series[i].Optimizer;
            line.LinePattern = ChartStyle.PatternOf(i);
            line.LineWidth = 2;
            line.MarkerSize = values.Length <= 60 ? 4 : 0;
        }

        if (log)
        {
            ChartStyle.LogTicks(plot.Axes.Left);
        }

        plot.ShowLegend(Edge.Right);
        var file = $"{prefix}curves.png";
        ChartStyle.Save(plot, Path.Combine(folder, file));
        return new FigureBlock(file, $"{metric} against iteration for the best run (best seed at the best learning rate) of each optimizer{(log ? "; log y axis" : string.Empty)}.");
    }

    /// <summary>Mean final metric over seeds against learning rate, one line per optimizer (log x).</summary>
    public static FigureBlock FinalByLearningRate(SweepReportData data, string folder, string prefix)
    {
        var metric = data.Definition.PrimaryMetric;
        var rows = data.BestPerLearningRate().Where(r => r.LearningRate is > 0).ToList();
        var log = UseLog(rows.Select(r => r.Mean!.Value), data.Definition.Goal);
        var plot = ChartStyle.NewPlot(
            $"Final {metric} against learning rate", "learning rate (log scale)", log ? $"mean final {metric} over seeds (log scale)" : $"mean final {metric} over seeds");
        var optimizers = data.Summary.Select(s => s.Optimizer).ToList();
        for (var i = 0; i < optimizers.Count; i++)
        {
            var points = rows.Where(r => r.Optimizer == optimizers[i]).OrderBy(r => r.LearningRate).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(
                points.Select(p => Math.Log10(p.LearningRate!.Value)).ToArray(),
                points.Select(p => log ? Math.Log10(p.Mean!.Value) : p.Mean!.Value).ToArray(),
                ChartStyle.ColorOf(i));
            line.LegendText = optimizers[i];
            line.LinePattern = ChartStyle.PatternOf(i);
            line.LineWidth = 2;
            line.MarkerSize = points.Count <= 40 ? 6 : 2;
        }

        ChartStyle.LogTicks(plot.Axes.Bottom);
        var clipped = false;
        if (log)
        {
            clipped = ChartStyle.LogAxisY(plot, rows.Min(r => r.Mean!.Value), rows.Max(r => r.Mean!.Value));
        }

        plot.ShowLegend(Edge.Right);
        var file = $"{prefix}final_by_learning_rate.png";
        ChartStyle.Save(plot, Path.Combine(folder, file));
        var others = data.VaryingParameters.Count == 0 ? string.Empty : $" (at each learning rate the best of the {string.Join(", ", data.VaryingParameters)} settings)";
        return new FigureBlock(file, $"Mean final {metric} over seeds against learning rate{others}; a missing point means every seed diverged or failed there{(clipped ? $"; the y axis stops at {ChartStyle.LogAxisSpan:0}× the lowest value, higher points leave the chart (see the table)" : string.Empty)}.");
    }

    /// <summary>Optimizer × learning-rate grid of the mean final metric (learning rates binned on a log scale when there are many).</summary>
    public static FigureBlock Heatmap(SweepReportData data, string folder, string prefix)
    {
        var metric = data.Definition.PrimaryMetric;
        var optimizers = data.Summary.Select(s => s.Optimizer).ToList();
        var rates = data.Curve.Where(r => r.LearningRate is > 0).Select(r => r.LearningRate!.Value).Distinct().Order().ToList();
        var binned = rates.Count > MaxHeatmapColumns;
        var columns = binned ? MaxHeatmapColumns : Math.Max(rates.Count, 1);
        double lo = rates.Count > 0 ? Math.Log10(rates[0]) : 0, hi = rates.Count > 0 ? Math.Log10(rates[^1]) : 1;
        int Column(double rate) => binned
            ? Math.Min(columns - 1, (int)((Math.Log10(rate) - lo) / Math.Max(hi - lo, 1e-12) * columns))
            : rates.IndexOf(rate);

        var sums = new double[optimizers.Count, columns];
        var counts = new int[optimizers.Count, columns];
        foreach (var row in data.BestPerLearningRate().Where(r => r.LearningRate is > 0))
        {
            var y = optimizers.IndexOf(row.Optimizer);
            var x = Column(row.LearningRate!.Value);
            sums[y, x] += row.Mean!.Value;
            counts[y, x]++;
        }

        var all = new List<double>();
        for (var y = 0; y < optimizers.Count; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                if (counts[y, x] > 0)
                {
                    all.Add(sums[y, x] / counts[y, x]);
                }
            }
        }

        var log = UseLog(all, data.Definition.Goal);
        var cells = new double[optimizers.Count, columns];
        for (var y = 0; y < optimizers.Count; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                var mean = counts[y, x] > 0 ? sums[y, x] / counts[y, x] : double.NaN;
                cells[y, x] = log && mean > 0 ? Math.Log10(mean) : mean;
            }
        }

        var plot = ChartStyle.NewPlot(
            log ? $"log10 of mean final {metric}: optimizer × learning rate" : $"Mean final {metric}: optimizer × learning rate", "learning rate", "optimizer");
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = data.Definition.Goal == MetricGoal.Minimize ? new ScottPlot.Colormaps.Viridis() : new ScottPlot.Colormaps.Viridis().Reversed();
        heatmap.NaNCellColor = Colors.LightGray;
        heatmap.Extent = new CoordinateRect(-0.5, columns - 0.5, -0.5, optimizers.Count - 0.5);
        var clipped = false;
        if (log && all.Count > 0)
        {
            var lowest = Math.Log10(all.Min());
            var highest = Math.Log10(all.Max());
            clipped = highest > lowest + Math.Log10(ChartStyle.LogAxisSpan);
            heatmap.ManualRange = new ScottPlot.Range(lowest, Math.Min(highest, lowest + Math.Log10(ChartStyle.LogAxisSpan)));
        }

        plot.Add.ColorBar(heatmap);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            optimizers.Select((_, i) => (double)(optimizers.Count - 1 - i)).ToArray(), [.. optimizers]);
        var labelEvery = Math.Max(1, columns / 8);
        var xTicks = Enumerable.Range(0, columns).Where(x => x % labelEvery == 0).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            xTicks.Select(x => (double)x).ToArray(),
            xTicks.Select(x => binned ? ChartStyle.LogLabel(double.Parse(Math.Pow(10, lo + ((x + 0.5) * (hi - lo) / columns)).ToString("G2", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : Numbers.Show(rates[x])).ToArray());
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, optimizers.Count - 0.5);
        var file = $"{prefix}heatmap.png";
        ChartStyle.Save(plot, Path.Combine(folder, file), ChartStyle.Width, Math.Max(ChartStyle.Height, 120 + (32 * optimizers.Count)));
        var better = data.Definition.Goal == MetricGoal.Minimize ? "darker is better" : "darker is better (colours reversed: higher is better)";
        return new FigureBlock(file, $"Mean final {metric} over seeds for every optimizer and learning rate{(binned ? " (log-spaced learning-rate bins)" : string.Empty)}; a cell where some seeds diverged shows the mean of those that completed; grey: every seed diverged or failed, or not in the grid; {better}{(clipped ? $"; colours saturate at {ChartStyle.LogAxisSpan:0}× the lowest value" : string.Empty)}.");
    }

    /// <summary>Log scale for a minimised metric when every value is positive and they span more than a decade.</summary>
    public static bool UseLog(IEnumerable<double> values, MetricGoal goal)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return goal == MetricGoal.Minimize && finite.Count > 0 && finite.All(v => v > 0) && finite.Max() / finite.Min() > 10;
    }
}
