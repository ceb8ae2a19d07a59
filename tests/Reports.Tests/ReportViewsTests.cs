using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Reports.Tests.Infrastructure;
using GradDescent.Storage;
using GradDescent.Storage.Reports;
using Microsoft.Data.Sqlite;

namespace GradDescent.Reports.Tests;

public sealed class ReportViewsTests : IAsyncLifetime
{
    private readonly TestDatabases databases = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await databases.DisposeAsync();

    [Fact]
    public async Task LearningRateCurve_KnownSweep_MatchesStatisticsComputedInTest()
    {
        var store = await databases.SqliteAsync();
        await KnownSweep.StoreAsync(store);

        var rows = (await ReportViews.LearningRateCurveAsync(store, KnownSweep.Id))
            .OrderBy(r => r.Optimizer, StringComparer.Ordinal).ThenBy(r => r.LearningRate).ToList();

        var expected = Expected.Groups().OrderBy(g => g.Optimizer, StringComparer.Ordinal).ThenBy(g => g.Rate).ToList();
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Optimizer, rows[i].Optimizer);
            Assert.Equal(expected[i].Rate, rows[i].LearningRate);
            Assert.Equal(expected[i].Trials, rows[i].Trials);
            Assert.Equal(expected[i].Completed, rows[i].Completed);
            Assert.Equal(expected[i].Trials - expected[i].Completed, rows[i].Diverged);
            Assert.Equal(expected[i].Mean, rows[i].Mean!.Value, 12);
            Assert.Equal(expected[i].StdDev, rows[i].StdDev!.Value, 12);
            Assert.Equal(expected[i].Ci95, rows[i].Ci95HalfWidth!.Value, 9);
            Assert.Equal(expected[i].Median, rows[i].Median!.Value, 12);
        }
    }

    [Fact]
    public async Task OptimizerSummary_KnownSweep_RanksAdamFirstWithExpectedFigures()
    {
        var store = await databases.SqliteAsync();
        await KnownSweep.StoreAsync(store);

        var rows = await ReportViews.OptimizerSummaryAsync(store, KnownSweep.Id);

        var groups = Expected.Groups();
        var adam = groups.Single(g => g.Optimizer == "adam" && g.Rate == 0.1);
        var gd = groups.Single(g => g.Optimizer == "gd" && g.Rate == 0.01);
        Assert.Equal(["adam", "gd"], rows.Select(r => r.Optimizer));
        Assert.Equal([1L, 2L], rows.Select(r => r.Rank));

        // gd's seeds at 0.1 average better, but one diverged there: the best learning rate is the one where all completed.
        Assert.Equal([0.1, 0.01], rows.Select(r => r.BestLearningRate!.Value));
        foreach (var (row, group) in new[] { (rows[0], adam), (rows[1], gd) })
        {
            Assert.Equal(group.Completed, row.N);
            Assert.Equal(group.Mean, row.Mean!.Value, 12);
            Assert.Equal(group.Ci95, row.Ci95HalfWidth!.Value, 9);
            Assert.Equal(group.Median, row.Median!.Value, 12);
            Assert.Equal(group.SeedsWithin1Pct, row.SeedsWithin1Pct);
            Assert.Equal((double)group.FirstWithin1PctSum!.Value / group.SeedsWithin1Pct, row.IterationsTo1Pct!.Value, 12);
            Assert.Equal(2, row.GridPoints);
        }

        Assert.Equal(1.5, rows[0].IterationsTo1Pct);
        Assert.Equal((2L, 0L, 1.0), (rows[0].GridConverged, rows[0].GridDiverged, rows[0].ConvergedShare));
        Assert.Equal((1L, 1L, 0.5), (rows[1].GridConverged, rows[1].GridDiverged, rows[1].DivergedShare));
        Assert.Equal(Enumerable.Range(0, 6).Average(i => KnownSweep.DurationOf(i)), rows[0].MeanDurationMs, 9);
        Assert.Equal(Enumerable.Range(6, 6).Average(i => KnownSweep.DurationOf(i)), rows[1].MeanDurationMs, 9);
    }

    [Fact]
    public async Task TrialConvergence_KnownSweep_GivesFirstStepWithinOnePercentOfBest()
    {
        var store = await databases.SqliteAsync();
        await KnownSweep.StoreAsync(store);

        var rows = await ReportViews.TrialConvergenceAsync(store, KnownSweep.Id);

        Assert.Equal(12, rows.Count);
        Assert.All(rows, r => Assert.Equal(Expected.SweepBest, r.SweepBest));
        Assert.Equal([2, 1, null, null, null, null, null, null, null, 2, null, null], rows.Select(r => r.IterationsTo1Pct));
        Assert.Equal("diverged", rows[6].Status);
        Assert.Equal(1, rows[6].DivergedAtStep);
    }

    [Fact]
    public async Task SpreadShapesAndAttackSuccess_KnownSweeps_ReadJsonParametersAndMetrics()
    {
        var store = await databases.SqliteAsync();
        await OtherSweeps.StoreAsync(store);

        var shapes = await ReportViews.SpreadShapesAsync(store, OtherSweeps.SpreadId);
        var attack = await ReportViews.AttackSuccessAsync(store, OtherSweeps.AttackId);

        var simplex = Math.Acos(-1.0 / 3) * 180 / Math.PI;
        Assert.Equal(2, shapes.Count);
        Assert.Equal((3, 2, 2L, 119.5, 120.0), (shapes[0].Vectors, shapes[0].Dims, shapes[0].Trials, shapes[0].BestMinAngleDeg, shapes[0].KnownOptimumDeg));
        Assert.Equal(0.5, shapes[0].GapDeg!.Value, 12);
        Assert.Equal((4, 3, 109.0), (shapes[1].Vectors, shapes[1].Dims, shapes[1].BestMinAngleDeg));
        Assert.Equal(simplex, shapes[1].KnownOptimumDeg!.Value, 12);
        Assert.Equal(simplex - 109, shapes[1].GapDeg!.Value, 12);

        Assert.Equal(["adam", "sign", "sign"], attack.Select(a => a.Optimizer));
        Assert.Equal([1.0, 1.0, 2.0], attack.Select(a => a.Step!.Value));
        Assert.Equal([1L, 2L, 1L], attack.Select(a => a.Trials));
        Assert.Equal([1L, 1L, 1L], attack.Select(a => a.Flipped));
        Assert.Equal([1.0, 0.5, 1.0], attack.Select(a => a.SuccessRate));
        Assert.Equal(0.6, attack[1].MeanTargetProbability!.Value, 12);
        Assert.Equal(2.0, attack[1].MeanIterationsToFlip);
    }

    [Fact]
    public async Task Views_SameTrialsOnSqliteAndPostgres_ReturnSameFigures()
    {
        var sqlite = await databases.SqliteAsync();
        var postgres = await databases.PostgresAsync();
        foreach (var store in new[] { sqlite, postgres })
        {
            await KnownSweep.StoreAsync(store);
            await OtherSweeps.StoreAsync(store);
        }

        var figures = new List<List<string>>();
        foreach (var store in new[] { sqlite, postgres })
        {
            var text = new List<string>();
            foreach (var sweep in new[] { KnownSweep.Id, OtherSweeps.SpreadId, OtherSweeps.AttackId })
            {
                text.AddRange((await ReportViews.OptimizerSummaryAsync(store, sweep)).Select(Canonical));
                text.AddRange((await ReportViews.LearningRateCurveAsync(store, sweep)).Select(Canonical).Order(StringComparer.Ordinal));
                text.AddRange((await ReportViews.TrialConvergenceAsync(store, sweep)).Select(Canonical));
                text.AddRange((await ReportViews.SpreadShapesAsync(store, sweep)).Select(Canonical));
                text.AddRange((await ReportViews.AttackSuccessAsync(store, sweep)).Select(Canonical));
            }

            figures.Add(text);
        }

        // known: 2 optimizers, 4 configurations, 12 trials; spread: 2, 4, 4 trials, 2 shapes; attack: 2, 3, 4 trials, 3 success rows.
        Assert.Equal(18 + 12 + 12, figures[0].Count);
        Assert.Equal(figures[0], figures[1]);
    }

    [Fact]
    public async Task ExperimentGoals_Table_MatchesExperimentCatalog()
    {
        await databases.SqliteAsync();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(databases.Folder, "db-0.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT experiment, primary_metric, step_metric, goal, goal_sign FROM experiment_goals ORDER BY experiment";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, 5).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        var expected = ExperimentCatalog.All.OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => $"{e.Name}|{e.PrimaryMetric}|{e.StepMetric}|{e.Goal.ToString().ToLowerInvariant()}|{(e.Goal == MetricGoal.Minimize ? 1 : -1)}");
        Assert.Equal(expected, rows);
    }

    /// <summary>A row as text with every double to 10 significant digits (the databases may differ in the last bits).</summary>
    private static string Canonical(object row) =>
        string.Join('|', row.GetType().GetProperties().Select(p => p.GetValue(row) switch
        {
            double d => d.ToString("G10", CultureInfo.InvariantCulture),
            null => "null",
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        }));
}
