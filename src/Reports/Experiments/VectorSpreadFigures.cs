using System.Globalization;
using System.Text.Json;
using GradDescent.Abstractions.Experiments;
using GradDescent.Reports.Analysis;
using GradDescent.Reports.Charts;
using GradDescent.Reports.Document;
using ScottPlot;
using SixLabors.ImageSharp;

namespace GradDescent.Reports.Experiments;

/// <summary>
/// The article's vector-spread pictures for the best run of each method in one shape: the final arrangements side by
/// side, the minimum angle per iteration against the known optimum, and an animation of each run when it stored its
/// trajectory (<see cref="TrajectoryArtifact"/>).
/// </summary>
public static class VectorSpreadFigures
{
    /// <summary>The stored trajectory of a run (<see cref="VectorSpreadDefinition.TrajectoryArtifact"/>).</summary>
    public const string TrajectoryArtifact = VectorSpreadDefinition.TrajectoryArtifact;

    private const int PanelSize = 420;

    /// <summary>Frames of an animation at most.</summary>
    private const int MaxFrames = 60;

    /// <param name="comparison">The sweep.</param>
    /// <param name="runs">The best run of each method (label → run), in method order.</param>
    /// <param name="trajectories">Each run's stored trajectory, when it has one.</param>
    /// <param name="shape">Which shape the runs are from, for captions (empty: the sweep has one).</param>
    /// <param name="folder">Where the files go.</param>
    /// <param name="prefix">File-name prefix.</param>
    public static IReadOnlyList<ReportBlock> Build(
        SweepComparison comparison, IReadOnlyList<(string Label, BestRun Run)> runs, IReadOnlyDictionary<BestRun, byte[]> trajectories, string shape, string folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(trajectories);
        var blocks = new List<ReportBlock>();
        var where = shape.Length == 0 ? string.Empty : $" ({shape})";
        var finals = runs.Select(r => (r.Label, r.Run, Vectors: Vectors(r.Run.Stored.DetailJson))).Where(r => r.Vectors is { Count: > 0 }).ToList();
        if (finals.Count > 0)
        {
            var views = finals.Select(f => new SphereView(f.Vectors!)).ToList();
            var panels = finals.Select((f, i) => views[i].Draw(f.Vectors!, $"{f.Label}\nmin angle {Numbers.Show(f.Run.Trial.PrimaryMetric)}°{Optimum(f.Run)}", ChartStyle.ColorOf(i))).ToList();
            var file = $"{prefix}spread_configurations.png";
            using (var image = FrameComposer.Grid(panels, Math.Min(3, panels.Count), PanelSize, PanelSize))
            {
                image.SaveAsPng(Path.Combine(folder, file));
            }

            blocks.Add(new FigureBlock(file, $"Final arrangement of the best run of each {Kind(comparison)}{where}: {views[0].Description}."));
        }

        // When the methods are the contenders of a one-shape sweep, the comparison's own curves chart shows exactly this.
        var redundant = !comparison.MultiGroup && comparison.ContenderAxes.Count == 1 && comparison.ContenderAxes[0].Name == "method";
        var curves = runs.Select(r => (r.Label, Values: r.Run.Series("min_angle_deg"))).Where(c => c.Values is { Length: > 1 }).ToList();
        if (curves.Count > 0 && !redundant)
        {
            var plot = ChartStyle.NewPlot($"Minimum pairwise angle per iteration{where}", "iteration", "minimum angle (degrees)");
            for (var i = 0; i < curves.Count; i++)
            {
                var values = curves[i].Values!;
                var line = plot.Add.Scatter(Enumerable.Range(0, values.Length).Select(x => (double)x).ToArray(), values.Select(v => (double)v).ToArray(), ChartStyle.ColorOf(i));
                line.LegendText = curves[i].Label;
                line.LinePattern = ChartStyle.PatternOf(i);
                line.LineWidth = 2;
                line.MarkerSize = 0;
            }

            if (runs.Select(r => r.Run.Trial.OptimumKnown ? r.Run.Trial.Optimum : null).FirstOrDefault(o => o is not null) is { } optimum)
            {
                var reference = plot.Add.HorizontalLine(optimum);
                reference.LinePattern = LinePattern.Dotted;
                reference.Color = Colors.Gray;
                reference.LegendText = $"best known {Numbers.Show(optimum)}°";
            }

            plot.ShowLegend(Alignment.LowerRight);
            var file = $"{prefix}spread_angle_curves.png";
            ChartStyle.Save(plot, Path.Combine(folder, file));
            blocks.Add(new FigureBlock(file, $"The minimum pairwise angle after each iteration of each {Kind(comparison)}'s best run{where}; dotted: the best-known optimum."));
        }

        var animated = 0;
        for (var i = 0; i < runs.Count; i++)
        {
            var (label, run) = runs[i];
            if (!trajectories.TryGetValue(run, out var content) || Trajectory(content) is not { Frames.Count: > 1 } trajectory)
            {
                continue;
            }

            var view = new SphereView(trajectory.Frames[^1]);
            var angles = run.Series("min_angle_deg");
            var color = ChartStyle.ColorOf(i);
            var shown = FrameComposer.FrameSteps(trajectory.Frames.Count, MaxFrames);
            var file = $"{prefix}spread_animation_{ComparisonCharts.FileName(label)}.gif";
            FrameComposer.SaveAnimation(
                shown.Count,
                f =>
                {
                    var k = shown[f];
                    var step = trajectory.Steps[k];
                    var angle = angles is not null && step < angles.Length ? $", min angle {Numbers.Show(angles[step])}°" : string.Empty;
                    return FrameComposer.SideBySide([view.Draw(trajectory.Frames[k], $"{label}, iteration {step}{angle}", color)], PanelSize, PanelSize);
                },
                Path.Combine(folder, file),
                delayCs: 10,
                lastFrameDelayCs: 200);
            blocks.Add(new FigureBlock(file, $"{label}{where}: the vectors spreading out, {shown.Count} frames from iteration {trajectory.Steps[0]} to {trajectory.Steps[^1]} (trial {run.Trial.TrialIndex}); {view.Description}."));
            animated++;
        }

        if (animated == 0 && runs.Count > 0)
        {
            blocks.Add(new ParagraphBlock(
                $"No animation: the runs drawn here stored no trajectory ({TrajectoryArtifact}), so only their final arrangements and minimum-angle curves can be shown."));
        }

        return blocks;
    }

    /// <summary>Final vectors from a trial's detail document (<c>vectors</c>: [N][D]); null when absent.</summary>
    public static List<double[]>? Vectors(string? detailJson)
    {
        if (detailJson is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(detailJson);
        return document.RootElement.TryGetProperty("vectors", out var rows) && rows.ValueKind == JsonValueKind.Array ? Matrix(rows) : null;
    }

    /// <summary>Reads a stored trajectory; null when the content is not one.</summary>
    public static StoredTrajectory? Trajectory(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (!root.TryGetProperty("steps", out var steps) || !root.TryGetProperty("vectors", out var frames)
                || steps.ValueKind != JsonValueKind.Array || frames.ValueKind != JsonValueKind.Array || steps.GetArrayLength() != frames.GetArrayLength())
            {
                return null;
            }

            return new StoredTrajectory([.. steps.EnumerateArray().Select(s => s.GetInt32())], [.. frames.EnumerateArray().Select(Matrix)]);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static List<double[]> Matrix(JsonElement rows) =>
        [.. rows.EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number ? x.GetDouble() : double.NaN).ToArray())];

    private static string Optimum(BestRun run) =>
        run.Trial.OptimumKnown && run.Trial.Optimum is { } o ? string.Create(CultureInfo.InvariantCulture, $" (best known {Numbers.Show(o)}°)") : string.Empty;

    private static string Kind(SweepComparison comparison) => comparison.ContenderAxes.Any(a => a.Name == "method") ? "method" : comparison.ContenderKind;

    /// <summary>A run's stored trajectory: the steps recorded and the vectors after each.</summary>
    public sealed record StoredTrajectory(IReadOnlyList<int> Steps, IReadOnlyList<List<double[]>> Frames);
}
