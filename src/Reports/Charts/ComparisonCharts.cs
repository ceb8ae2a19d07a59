using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Reports.Analysis;
using GradDescent.Reports.Document;
using ScottPlot;
using SixLabors.ImageSharp;

namespace GradDescent.Reports.Charts;

/// <summary>
/// The comparison charts every sweep gets, whatever it varies: the step metric of each contender's best run, the final
/// metric against the most influential numeric axis, and a heatmap of the two most influential axes. One panel per
/// problem group (small multiples) when the sweep has several. A chart that would hold a single point is not drawn.
/// </summary>
public static class ComparisonCharts
{
    /// <summary>Groups drawn as panels (the tables list them all).</summary>
    public const int MaxPanels = 9;

    /// <summary>Lines per panel when there are several groups (best ranks first).</summary>
    public const int LinesPerPanel = 6;

    /// <summary>Heatmap columns: distinct values up to this many, otherwise log-spaced bins of a numeric axis.</summary>
    private const int MaxHeatmapColumns = 24;

    private const int PanelWidth = 420;
    private const int PanelHeight = 320;

    /// <summary>The step metric against iteration for each contender's best run (per group).</summary>
    /// <returns>Null when no best run has a series of more than one step.</returns>
    public static FigureBlock? Curves(SweepComparison comparison, IReadOnlyDictionary<ContenderResult, BestRun> runs, string folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(runs);
        var metric = comparison.Definition.StepMetric;
        var panels = new List<Plot>();
        var logAny = false;
        foreach (var group in comparison.Groups.Take(MaxPanels))
        {
            var lines = group.Ranked.Take(comparison.MultiGroup ? LinesPerPanel : SweepSection.PlottedContenders)
                .Select(c => (Contender: c, Values: runs.TryGetValue(c, out var run) ? run.Series(metric) : null))
                .Where(l => l.Values is { Length: > 1 })
                .ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            var optimum = lines.Select(l => runs[l.Contender].Trial.Optimum).FirstOrDefault(o => o is not null);
            var log = UseLog(lines.SelectMany(l => l.Values!.Select(v => (double)v)), comparison.Definition.Goal);
            logAny |= log;
            var plot = ChartStyle.NewPlot(
                comparison.MultiGroup ? group.Group : $"{metric} of each {comparison.ContenderKind}'s best run", "iteration", log ? $"{metric} (log scale)" : metric);
            for (var i = 0; i < lines.Count; i++)
            {
                var values = lines[i].Values!;
                var line = plot.Add.Scatter(
                    Enumerable.Range(0, values.Length).Select(x => (double)x).ToArray(),
                    values.Select(v => log ? Math.Log10(v) : v).ToArray(),
                    ChartStyle.ColorOf(comparison.Contenders.ToList().IndexOf(lines[i].Contender.Contender)));
                line.LegendText = lines[i].Contender.Contender;
                line.LinePattern = ChartStyle.PatternOf(i);
                line.LineWidth = 2;
                line.MarkerSize = values.Length <= 60 ? 4 : 0;
            }

            if (optimum is { } best && (!log || best > 0) && comparison.Configurations.Any(c => c.Row.OptimumKnown))
            {
                var reference = plot.Add.HorizontalLine(log ? Math.Log10(best) : best);
                reference.LinePattern = LinePattern.Dotted;
                reference.Color = Colors.Gray;
                reference.LegendText = $"optimum {Numbers.Show(best)}";
            }

            if (log)
            {
                ChartStyle.LogTicks(plot.Axes.Left);
            }

            plot.ShowLegend(comparison.MultiGroup ? Alignment.UpperRight : Alignment.UpperRight);
            panels.Add(plot);
        }

        if (panels.Count == 0)
        {
            return null;
        }

        var file = $"{prefix}curves.png";
        Save(panels, comparison.MultiGroup, Path.Combine(folder, file));
        var scope = comparison.MultiGroup
            ? $"one panel per {string.Join(" × ", comparison.ProblemAxes.Select(a => a.Name))} (first {Math.Min(MaxPanels, comparison.Groups.Count)} of {comparison.Groups.Count}), the {LinesPerPanel} best {comparison.ContenderKind} values in each"
            : $"each {comparison.ContenderKind}";
        return new FigureBlock(file, $"{metric} against iteration for the best run (best seed at the best setting) of {scope}{(logAny ? "; log y axis" : string.Empty)}; dotted: the true optimum where it is known.");
    }

    /// <summary>Mean final metric against the most influential numeric axis, one line per contender (per group).</summary>
    /// <returns>Null when no numeric axis with two or more values is swept.</returns>
    public static FigureBlock? ByNumericAxis(SweepComparison comparison, string folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var axis = comparison.InfluentialAxes.FirstOrDefault(a => a.Numeric && a.Values.Count > 1)
            ?? comparison.Axes.FirstOrDefault(a => a.Role != AxisRole.Problem && a.Numeric && a.Values.Count > 1);
        if (axis is null)
        {
            return null;
        }

        var metric = comparison.Definition.PrimaryMetric;
        var logX = axis.Values.All(v => axis.NumberOf(v) > 0) && axis.Values.Max(axis.NumberOf) / axis.Values.Min(axis.NumberOf) > 10;
        var panels = new List<Plot>();
        var clipped = false;
        foreach (var group in comparison.Groups.Take(MaxPanels))
        {
            var contenders = group.Ranked.Take(comparison.MultiGroup ? LinesPerPanel : SweepSection.PlottedContenders).Select(c => c.Contender).ToList();
            var points = comparison.Configurations
                .Where(c => c.Group == group.Group && contenders.Contains(c.Contender) && c.Row.Mean is { } m && double.IsFinite(m))
                .GroupBy(c => (c.Contender, X: c.ValueOf(axis.Name)))
                .Select(g => (g.Key.Contender, X: axis.NumberOf(g.Key.X), Y: g.Min(c => c.Row.Mean!.Value * comparison.Sign) * comparison.Sign))
                .ToList();
            if (points.Select(p => p.X).Distinct().Count() < 2)
            {
                continue;
            }

            var log = UseLog(points.Select(p => p.Y), comparison.Definition.Goal);
            var plot = ChartStyle.NewPlot(
                comparison.MultiGroup ? group.Group : $"Final {metric} against {axis.Name.Replace('_', ' ')}",
                $"{axis.Name.Replace('_', ' ')}{(logX ? " (log scale)" : string.Empty)}",
                log ? $"mean final {metric} (log scale)" : $"mean final {metric}");
            foreach (var contender in contenders)
            {
                var line = points.Where(p => p.Contender == contender).OrderBy(p => p.X).ToList();
                if (line.Count == 0)
                {
                    continue;
                }

                var index = comparison.Contenders.ToList().IndexOf(contender);
                var scatter = plot.Add.Scatter(
                    line.Select(p => logX ? Math.Log10(p.X) : p.X).ToArray(), line.Select(p => log ? Math.Log10(p.Y) : p.Y).ToArray(), ChartStyle.ColorOf(index));
                scatter.LegendText = contender;
                scatter.LinePattern = ChartStyle.PatternOf(contenders.IndexOf(contender));
                scatter.LineWidth = 2;
                scatter.MarkerSize = 6;
            }

            if (logX)
            {
                ChartStyle.LogTicks(plot.Axes.Bottom);
            }

            if (log)
            {
                ChartStyle.LogTicks(plot.Axes.Left);
                var lowest = points.Min(p => p.Y);
                var highest = points.Max(p => p.Y);
                clipped |= highest > lowest * ChartStyle.LogAxisSpan;
                var top = Math.Log10(Math.Min(highest, lowest * ChartStyle.LogAxisSpan));
                var bottom = Math.Log10(lowest);
                var pad = Math.Max((top - bottom) * 0.05, 0.05);
                plot.Axes.SetLimitsY(bottom - pad, top + pad);
            }

            plot.ShowLegend(Alignment.UpperRight);
            panels.Add(plot);
        }

        if (panels.Count == 0)
        {
            return null;
        }

        var file = $"{prefix}final_by_{FileName(axis.Name)}.png";
        Save(panels, comparison.MultiGroup, Path.Combine(folder, file));
        var others = comparison.Axes.Where(a => a.Role == AxisRole.Tuning && a.Name != axis.Name).Select(a => a.Name).ToList();
        return new FigureBlock(file, $"Mean final {metric} over seeds against {axis.Name.Replace('_', ' ')} (the most influential numeric axis), one line per {comparison.ContenderKind}"
            + (others.Count > 0 ? $", each point the best of the {string.Join(", ", others)} settings" : string.Empty)
            + $"; a missing point means every seed diverged or failed there{(clipped ? $"; the y axis stops at {ChartStyle.LogAxisSpan:0}× the lowest value (see the table)" : string.Empty)}.");
    }

    /// <summary>The two most influential axes against each other (one group: mean final metric; several: mean rank over groups).</summary>
    /// <returns>Null when fewer than two axes with two or more values are swept.</returns>
    public static FigureBlock? Heatmap(SweepComparison comparison, string folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var top = comparison.InfluentialAxes.Where(a => a.Values.Count > 1).Take(2).ToList();
        if (top.Count < 2)
        {
            return null;
        }

        // Numeric axis across, the other down.
        var (across, down) = top[0].Numeric && !top[1].Numeric ? (top[0], top[1]) : top[1].Numeric ? (top[1], top[0]) : (top[1], top[0]);
        var metric = comparison.Definition.PrimaryMetric;
        var columns = Columns(across);
        var cellsByGroup = comparison.Configurations
            .Where(c => c.Row.Mean is { } m && double.IsFinite(m))
            .GroupBy(c => (c.Group, Row: down.IndexOf(c.ValueOf(down.Name)), Column: columns.Of(c.ValueOf(across.Name))))
            .Select(g => (g.Key.Group, g.Key.Row, g.Key.Column, Value: g.Min(c => c.Row.Mean!.Value * comparison.Sign) * comparison.Sign))
            .ToList();
        var byRank = comparison.MultiGroup;
        var values = new double[down.Values.Count, columns.Count];
        for (var y = 0; y < down.Values.Count; y++)
        {
            for (var x = 0; x < columns.Count; x++)
            {
                values[y, x] = double.NaN;
            }
        }

        foreach (var cell in cellsByGroup.GroupBy(c => (c.Row, c.Column)))
        {
            values[cell.Key.Row, cell.Key.Column] = byRank
                ? cell.Average(c => 1 + cellsByGroup.Count(o => o.Group == c.Group && (o.Value - c.Value) * comparison.Sign < 0))
                : cell.Min(c => c.Value * comparison.Sign) * comparison.Sign;
        }

        var finite = values.Cast<double>().Where(double.IsFinite).ToList();
        if (finite.Count < 2)
        {
            return null;
        }

        var log = !byRank && UseLog(finite, comparison.Definition.Goal);
        var cells = new double[down.Values.Count, columns.Count];
        for (var y = 0; y < down.Values.Count; y++)
        {
            for (var x = 0; x < columns.Count; x++)
            {
                cells[y, x] = log && values[y, x] > 0 ? Math.Log10(values[y, x]) : values[y, x];
            }
        }

        var title = byRank
            ? $"Mean rank over groups: {down.Name} × {across.Name}"
            : log ? $"log10 mean final {metric}: {down.Name} × {across.Name}" : $"Mean final {metric}: {down.Name} × {across.Name}";
        var plot = ChartStyle.NewPlot(title, across.Name.Replace('_', ' '), down.Name.Replace('_', ' '));
        var heatmap = plot.Add.Heatmap(cells);
        var lowIsGood = byRank || comparison.Definition.Goal == MetricGoal.Minimize;
        heatmap.Colormap = lowIsGood ? new ScottPlot.Colormaps.Viridis() : new ScottPlot.Colormaps.Viridis().Reversed();
        heatmap.NaNCellColor = Colors.LightGray;
        heatmap.Extent = new CoordinateRect(-0.5, columns.Count - 0.5, -0.5, down.Values.Count - 0.5);
        var clipped = false;
        if (log)
        {
            var lowest = Math.Log10(finite.Min());
            var highest = Math.Log10(finite.Max());
            clipped = highest > lowest + Math.Log10(ChartStyle.LogAxisSpan);
            heatmap.ManualRange = new ScottPlot.Range(lowest, Math.Min(highest, lowest + Math.Log10(ChartStyle.LogAxisSpan)));
        }

        plot.Add.ColorBar(heatmap);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            down.Values.Select((_, i) => (double)(down.Values.Count - 1 - i)).ToArray(), [.. down.Values.Select(Numbers.ShowText)]);
        var labelEvery = Math.Max(1, columns.Count / 8);
        var xTicks = Enumerable.Range(0, columns.Count).Where(x => x % labelEvery == 0).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xTicks.Select(x => (double)x).ToArray(), [.. xTicks.Select(columns.Label)]);
        plot.Axes.SetLimits(-0.5, columns.Count - 0.5, -0.5, down.Values.Count - 0.5);
        var file = $"{prefix}heatmap.png";
        ChartStyle.Save(plot, Path.Combine(folder, file), ChartStyle.Width, Math.Max(ChartStyle.Height, 120 + (32 * down.Values.Count)));
        var better = byRank ? "darker is better (rank 1 = best)" : comparison.Definition.Goal == MetricGoal.Minimize ? "darker is better" : "darker is better (colours reversed: higher is better)";
        var rest = comparison.Axes.Where(a => a.Role != AxisRole.Problem && a != down && a != across).Select(a => a.Name).ToList();
        return new FigureBlock(file, $"The two most influential axes, {down.Name} and {across.Name}: "
            + (byRank
                ? $"each cell's rank among the cells of its {string.Join(" × ", comparison.ProblemAxes.Select(a => a.Name))} group, averaged over groups"
                : $"mean final {metric} over seeds")
            + (rest.Count > 0 ? $", at the best of the {string.Join(", ", rest)} settings" : string.Empty)
            + $"{(columns.Binned ? " (log-spaced bins)" : string.Empty)}; grey: every seed diverged or failed, or not in the sweep; {better}"
            + $"{(clipped ? $"; colours saturate at {ChartStyle.LogAxisSpan:0}× the lowest value" : string.Empty)}.");
    }

    /// <summary>Log scale for a minimised metric when every value is positive and they span more than a decade.</summary>
    public static bool UseLog(IEnumerable<double> values, MetricGoal goal)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return goal == MetricGoal.Minimize && finite.Count > 0 && finite.All(v => v > 0) && finite.Max() / finite.Min() > 10;
    }

    public static string FileName(string text) => new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);

    private static void Save(List<Plot> panels, bool grid, string path)
    {
        if (!grid)
        {
            ChartStyle.Save(panels[0], path);
            return;
        }

        using var image = FrameComposer.Grid(panels, Math.Min(3, panels.Count), PanelWidth, PanelHeight);
        image.SaveAsPng(path);
    }

    private static HeatmapColumns Columns(SweptAxis axis)
    {
        if (!axis.Numeric || axis.Values.Count <= MaxHeatmapColumns || axis.Values.Any(v => axis.NumberOf(v) <= 0))
        {
            return new HeatmapColumns(axis.Values.Count, false, value => axis.IndexOf(value), x => Numbers.ShowText(axis.Values[x]));
        }

        double lo = Math.Log10(axis.Values.Min(axis.NumberOf)), hi = Math.Log10(axis.Values.Max(axis.NumberOf));
        return new HeatmapColumns(
            MaxHeatmapColumns,
            true,
            value => Math.Min(MaxHeatmapColumns - 1, (int)((Math.Log10(axis.NumberOf(value)) - lo) / Math.Max(hi - lo, 1e-12) * MaxHeatmapColumns)),
            x => ChartStyle.LogLabel(double.Parse(Math.Pow(10, lo + ((x + 0.5) * (hi - lo) / MaxHeatmapColumns)).ToString("G2", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)));
    }

    private sealed record HeatmapColumns(int Count, bool Binned, Func<string, int> Of, Func<int, string> Label);
}
