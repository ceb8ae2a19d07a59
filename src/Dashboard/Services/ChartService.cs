using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Storage;
using GradDescent.Dashboard.Options;
using GradDescent.Storage;
using GradDescent.Storage.Queries;
using GradDescent.Storage.Reports;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Services;

/// <summary>The data behind the sweep page's charts, read with SQL and sampled to at most <see cref="DashboardOptions.MaxChartPoints"/>.</summary>
public sealed class ChartService(IResultStore store, TrialService trials, SweepService sweeps, IOptions<DashboardOptions> options)
{
    /// <summary>Optimisation history: each trial's primary metric in finishing order, and the best so far.</summary>
    public async Task<HistoryChart> HistoryAsync(SweepRecord sweep, CancellationToken cancellationToken)
    {
        var definition = ExperimentCatalog.Get(sweep.Experiment);
        var minimize = definition.Goal == MetricGoal.Minimize;
        var all = new List<TrialOutcomeRow>();
        await foreach (var row in TrialQueries.OutcomesAsync(store, sweep.Id, cancellationToken))
        {
            all.Add(row);
        }

        var every = Math.Max(1, (int)Math.Ceiling(all.Count / (double)options.Value.MaxChartPoints));
        var points = new List<HistoryPoint>();
        var best = new List<BestPoint>();
        double? bestSoFar = null;
        for (var n = 0; n < all.Count; n++)
        {
            var row = all[n];
            var improved = row.Value is { } value && (bestSoFar is not { } b || (minimize ? value < b : value > b));
            if (improved)
            {
                bestSoFar = row.Value;
                best.Add(new BestPoint(n + 1, bestSoFar!.Value));
            }

            if (improved || n % every == 0)
            {
                points.Add(new HistoryPoint(n + 1, row.Index, row.Status, row.Value));
            }
        }

        if (bestSoFar is { } last && all.Count > 0)
        {
            best.Add(new BestPoint(all.Count, last));
        }

        return new HistoryChart(definition.PrimaryMetric, minimize ? "minimize" : "maximize", all.Count, points, best);
    }

    /// <summary>Completed trials' swept parameters and primary metric (parallel coordinates, slice plots).</summary>
    public async Task<PointsChart> PointsAsync(SweepRecord sweep, CancellationToken cancellationToken)
    {
        var definition = ExperimentCatalog.Get(sweep.Experiment);
        var known = await trials.FieldsAsync(sweep, cancellationToken);
        var info = sweeps.Spec(sweep);
        var swept = info.Swept.Count > 0 ? info.Swept : [new SweptParameter("seed", false)];
        const string filter = "status = completed";
        var total = await TrialQueries.CountAsync(store, sweep.Id, known, filter, cancellationToken);
        var every = NextPrime(Math.Max(1, (long)Math.Ceiling(total / (double)options.Value.MaxChartPoints)));
        var axes = swept.Select(p => Axis(definition, p)).ToList();
        var rows = new List<PointRow>();
        await foreach (var item in TrialQueries.StreamAsync(store, sweep.Id, known, filter, null, every, cancellationToken))
        {
            if (item.Metrics.TryGetValue(definition.PrimaryMetric, out var value) && double.IsFinite(value))
            {
                var values = axes.Select(a => a.Name == "seed" ? item.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) : item.Parameters.GetValueOrDefault(a.Name)).ToList();
                rows.Add(new PointRow(item.Index, values, value));
            }
        }

        return new PointsChart(definition.PrimaryMetric, definition.Goal == MetricGoal.Minimize ? "minimize" : "maximize", total, axes, rows);
    }

    /// <summary>Step series of the best <paramref name="top"/> completed trials (learning curves).</summary>
    public async Task<CurvesChart> CurvesAsync(SweepRecord sweep, int top, CancellationToken cancellationToken)
    {
        var definition = ExperimentCatalog.Get(sweep.Experiment);
        var sort = (definition.Goal == MetricGoal.Minimize ? string.Empty : "-") + definition.PrimaryMetric;
        var known = await trials.FieldsAsync(sweep, cancellationToken);
        if (known.Find(definition.PrimaryMetric) is null)
        {
            return new CurvesChart(definition.StepMetric, []);
        }

        var best = await TrialQueries.PageAsync(store, sweep.Id, known, new TrialQuery("status = completed", sort, 1, Math.Clamp(top, 1, 50)), cancellationToken);
        var curves = new List<Curve>();
        foreach (var item in best.Items)
        {
            var steps = await store.GetStepsAsync(sweep.Id, item.Index, cancellationToken);
            var series = steps.FirstOrDefault(s => s.Metric == definition.StepMetric) ?? steps.FirstOrDefault();
            if (series is not null)
            {
                var label = string.Join(' ', sweeps.Spec(sweep).Swept.Select(p => $"{p.Name}={item.Parameters.GetValueOrDefault(p.Name)}"));
                curves.Add(new Curve(item.Index, label.Length == 0 ? $"trial {item.Index}" : $"#{item.Index} {label} seed={item.Seed}", item.Metrics.GetValueOrDefault(definition.PrimaryMetric), series.Values));
            }
        }

        return new CurvesChart(definition.StepMetric, curves);
    }

    /// <summary>The report's optimizer ranking (the <c>optimizer_summary</c> view: mean ± 95% CI over seeds).</summary>
    public Task<IReadOnlyList<OptimizerSummaryRow>> RankingAsync(SweepRecord sweep, CancellationToken cancellationToken) =>
        ReportViews.OptimizerSummaryAsync(store, sweep.Id, cancellationToken);

    private static ChartAxis Axis(ExperimentDefinition definition, SweptParameter parameter)
    {
        var kind = definition.Find(parameter.Name)?.Kind;
        var numeric = parameter.Name == "seed" || kind is Abstractions.Parameters.ParameterKind.Integer or Abstractions.Parameters.ParameterKind.Real;
        return new ChartAxis(parameter.Name, numeric, numeric && parameter.Log);
    }

    /// <summary>A prime stride keeps sampling from locking onto one seed of every configuration.</summary>
    private static long NextPrime(long n)
    {
        if (n <= 2)
        {
            return n;
        }

        for (var candidate = n; ; candidate++)
        {
            var prime = true;
            for (long d = 2; d * d <= candidate && prime; d++)
            {
                prime = candidate % d != 0;
            }

            if (prime)
            {
                return candidate;
            }
        }
    }
}

public sealed record HistoryChart(string Metric, string Goal, long Total, IReadOnlyList<HistoryPoint> Points, IReadOnlyList<BestPoint> Best);

/// <summary>The <paramref name="N"/>-th trial to finish; its value is null unless it completed with a finite metric.</summary>
public sealed record HistoryPoint(long N, long Trial, string Status, double? Value);

public sealed record BestPoint(long N, double Value);

public sealed record PointsChart(string Metric, string Goal, long Total, IReadOnlyList<ChartAxis> Axes, IReadOnlyList<PointRow> Rows);

/// <summary>A swept parameter as a chart axis: numeric (log or linear) or categories.</summary>
public sealed record ChartAxis(string Name, bool Numeric, bool Log);

/// <summary>One trial: its values on each axis (canonical text) and its primary metric.</summary>
public sealed record PointRow(long Trial, IReadOnlyList<string?> Values, double Value);

public sealed record CurvesChart(string Metric, IReadOnlyList<Curve> Curves);

public sealed record Curve(long Trial, string Label, double Value, float[] Values);
