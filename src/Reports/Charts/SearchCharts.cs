using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Reports.Document;
using GradDescent.Sweeps.Search;
using ScottPlot;

namespace GradDescent.Reports.Charts;

/// <summary>The charts of a search sweep: optimisation history, Pareto front, learning curves with the pruned trials.</summary>
public static class SearchCharts
{
    /// <summary>Learning curves drawn at most (the first trials by index); the CSVs have every trial.</summary>
    public const int MaxCurves = 400;

    private static readonly Color Faint = Color.FromHex("#1f77b4").WithAlpha(0.35);
    private static readonly Color Stopped = Color.FromHex("#d62728").WithAlpha(0.6);

    /// <summary>Each completed trial's objective by trial index, and the best so far.</summary>
    public static FigureBlock History(IReadOnlyList<TrialObservation> observations, SweepObjective objective, string folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(objective);
        var completed = observations.Where(o => o.Kind == ObservationKind.Completed && double.IsFinite(o.Values[0])).OrderBy(o => o.Index).ToList();
        var log = ComparisonCharts.UseLog(completed.Select(o => o.Values[0]), objective.Goal);
        double Y(double v) => log ? Math.Log10(v) : v;
        var plot = ChartStyle.NewPlot($"Optimisation history: {objective.Name}", "trial", log ? $"{objective.Name} (log scale)" : objective.Name);
        if (completed.Count > 0)
        {
            var points = plot.Add.Scatter(completed.Select(o => (double)o.Index).ToArray(), completed.Select(o => Y(o.Values[0])).ToArray(), ChartStyle.ColorOf(0));
            points.LineWidth = 0;
            points.MarkerSize = 5;
            points.LegendText = "completed trial";
            var sign = objective.Goal == MetricGoal.Minimize ? 1 : -1;
            var best = double.NaN;
            var bests = completed.Select(o => best = double.IsNaN(best) || sign * o.Values[0] < sign * best ? o.Values[0] : best).ToArray();
            var line = plot.Add.Scatter(completed.Select(o => (double)o.Index).ToArray(), bests.Select(Y).ToArray(), ChartStyle.ColorOf(3));
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = "best so far";
            plot.ShowLegend(Edge.Right);
        }

        if (log)
        {
            ChartStyle.LogTicks(plot.Axes.Left);
        }

        var file = $"{prefix}search_history.png";
        ChartStyle.Save(plot, Path.Combine(folder, file));
        return new FigureBlock(file, $"{objective.Name} of every completed trial against its index, and the best so far (pruned, diverged and failed trials are skipped){(log ? "; log y axis" : string.Empty)}.");
    }

    /// <summary>The first two objectives of every completed trial, the non-dominated ones highlighted.</summary>
    public static FigureBlock Front(IReadOnlyList<TrialObservation> observations, IReadOnlyList<TrialObservation> front, SweepSearch search, string folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(front);
        ArgumentNullException.ThrowIfNull(search);
        var completed = observations.Where(o => o.Kind == ObservationKind.Completed && o.Values.All(double.IsFinite)).ToList();
        var (x, y) = (search.Objectives[0], search.Objectives[1]);
        var plot = ChartStyle.NewPlot($"Pareto front: {x.Name} and {y.Name}", $"{x.Name} ({Goal(x)})", $"{y.Name} ({Goal(y)})");
        var all = plot.Add.Scatter(completed.Select(o => o.Values[0]).ToArray(), completed.Select(o => o.Values[1]).ToArray(), Faint);
        all.LineWidth = 0;
        all.MarkerSize = 5;
        all.LegendText = "completed trial";
        var ordered = front.OrderBy(o => o.Values[0]).ToList();
        var members = plot.Add.Scatter(ordered.Select(o => o.Values[0]).ToArray(), ordered.Select(o => o.Values[1]).ToArray(), ChartStyle.ColorOf(3));
        members.LineWidth = 1;
        members.MarkerSize = 8;
        members.LegendText = "non-dominated";
        plot.ShowLegend(Edge.Right);
        var file = $"{prefix}pareto_front.png";
        ChartStyle.Save(plot, Path.Combine(folder, file));
        return new FigureBlock(file, $"Every completed trial's {x.Name} against its {y.Name}; the non-dominated ones joined{(search.Objectives.Length > 2 ? " (the front over all objectives, drawn on the first two)" : string.Empty)}.");
    }

    /// <summary>The early-stopping metric of every trial against iteration: completed trials faint, pruned ones to where they stopped.</summary>
    public static FigureBlock LearningCurves(IReadOnlyList<TrialResult> results, string metric, ExperimentDefinition definition, string folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(definition);
        var drawn = results
            .Where(r => r.Status is TrialStatus.Completed or TrialStatus.Pruned)
            .OrderBy(r => r.Index)
            .Take(MaxCurves)
            .Select(r => (r.Status, Values: r.Steps.FirstOrDefault(s => s.Metric == metric)?.Values ?? []))
            .Where(c => c.Values.Length > 0)
            .ToList();
        var log = ComparisonCharts.UseLog(drawn.SelectMany(c => c.Values.Select(v => (double)v)), definition.Goal);
        var plot = ChartStyle.NewPlot($"Learning curves: {metric}", "iteration", log ? $"{metric} (log scale)" : metric);
        var legend = new HashSet<TrialStatus>();
        foreach (var (status, values) in drawn.OrderBy(c => c.Status == TrialStatus.Pruned))
        {
            var finite = Enumerable.Range(0, values.Length).Where(i => float.IsFinite(values[i]) && (!log || values[i] > 0)).ToArray();
            var line = plot.Add.Scatter(finite.Select(i => (double)i).ToArray(), finite.Select(i => log ? Math.Log10(values[i]) : values[i]).ToArray(),
                status == TrialStatus.Pruned ? Stopped : Faint);
            line.LineWidth = 1;
            line.MarkerSize = 0;
            if (legend.Add(status))
            {
                line.LegendText = status == TrialStatus.Pruned ? "pruned (ends where it stopped)" : "completed";
            }
        }

        var clipped = false;
        if (log && drawn.Count > 0)
        {
            var positive = drawn.SelectMany(c => c.Values).Where(v => float.IsFinite(v) && v > 0).ToList();
            clipped = ChartStyle.LogAxisY(plot, positive.Min(), positive.Max());
        }

        plot.ShowLegend(Edge.Right);
        var file = $"{prefix}search_curves.png";
        ChartStyle.Save(plot, Path.Combine(folder, file));
        var shown = results.Count(r => r.Status is TrialStatus.Completed or TrialStatus.Pruned);
        return new FigureBlock(file, $"{metric} against iteration for {(shown > MaxCurves ? $"the first {MaxCurves} of {shown}" : "every")} completed (blue) and pruned (red) trial; a pruned trial's curve ends at the iteration the early-stopping rule stopped it{(log ? "; log y axis" : string.Empty)}{(clipped ? $", stopping at {ChartStyle.LogAxisSpan:0}× the lowest value (higher values leave the chart)" : string.Empty)}.");
    }

    private static string Goal(SweepObjective objective) => objective.Goal == MetricGoal.Minimize ? "minimize" : "maximize";
}
