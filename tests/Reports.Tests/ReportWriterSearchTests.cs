using System.Collections.Immutable;
using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Reports.Tests.Infrastructure;
using GradDescent.Storage;

namespace GradDescent.Reports.Tests;

/// <summary>The search part of a sweep's section (docs/search.md): history, fANOVA importance, Pareto front, pruned learning curves.</summary>
public sealed partial class ReportWriterTests
{
    private const string TwoObjectiveSpec = """
        name: known-search
        experiment: linear-regression
        parameters: {iterations: 3}
        search:
          algorithm: tpe
          trials: 6
          batch: 3
          seed: 4
          space:
            optimizer: {choice: [adam, gd]}
            learning_rate: {log_uniform: [1.0e-3, 1.0]}
        objectives:
          - {metric: mse}
          - {metric: slope, goal: maximize}
        """;

    private const string AshaSpec = """
        name: known-asha
        experiment: linear-regression
        parameters: {iterations: 3}
        search:
          algorithm: tpe
          trials: 4
          batch: 4
          space:
            optimizer: {choice: [adam, gd]}
            learning_rate: {log_uniform: [1.0e-3, 1.0]}
        early_stopping: {algorithm: asha, metric_step: 1, min_iterations: 1, reduction_factor: 2}
        """;

    [Fact]
    public async Task WriteAsync_TwoObjectiveSearch_HistoryImportanceAndParetoFrontFromTheStoredTrials()
    {
        var store = await databases.SqliteAsync();
        // (optimizer, learning rate, status, mse, slope): trial 3 is dominated by 1 and trial 0 by 5; the front is 1, 2, 5.
        (string, double, TrialStatus, double, double)[] trials =
        [
            ("adam", 0.1, TrialStatus.Completed, 10, 3), ("gd", 0.01, TrialStatus.Completed, 12, 5), ("adam", 0.01, TrialStatus.Completed, 8, 2),
            ("gd", 0.1, TrialStatus.Completed, 15, 4), ("adam", 0.5, TrialStatus.Diverged, double.NaN, double.NaN), ("gd", 0.5, TrialStatus.Completed, 9, 4),
        ];
        await StoreSearchAsync(store, "known-search", TwoObjectiveSpec, trials.Select(t => (t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, (float[])[100, 50, 20, (float)t.Item4])).ToList());

        var sweeps = await SweepReportWriter.ResolveAsync(store, ["known-search"], CancellationToken.None);
        var folder = await SweepReportWriter.WriteAsync(store, sweeps, Path.Combine(databases.Folder, "search"), CancellationToken.None);

        var history = ReportCsv.Read(Path.Combine(folder, "search_history.csv"));
        Assert.Equal(["0", "1", "2", "3", "4", "5"], history.Select(r => r["trial"]));
        Assert.Equal(["10", "10", "8", "8", "8", "8"], history.Select(r => r["best_so_far"]));
        Assert.Equal("diverged", history[4]["status"]);
        var front = ReportCsv.Read(Path.Combine(folder, "pareto_front.csv"));
        Assert.Equal(["1", "2", "5"], front.Select(r => r["trial"]));
        var importance = ReportCsv.Read(Path.Combine(folder, "parameter_importance_0.csv"));
        Assert.Equal(["learning_rate", "optimizer"], importance.Select(r => r["parameter"]).Order());
        Assert.Equal(1, importance.Sum(r => Number(r["importance"])), 9);
        Assert.True(File.Exists(Path.Combine(folder, "parameter_importance_1.csv")));
        var summary = await File.ReadAllTextAsync(Path.Combine(folder, "summary.md"));
        Assert.Contains("Multi-objective TPE search, seed 4: 6 trials proposed in generations of 3, no early stopping", summary, StringComparison.Ordinal);
        Assert.Contains(SearchSection.ImportanceMethod, summary, StringComparison.Ordinal);
        Assert.Contains(@"SELECT \* FROM pareto\_front WHERE sweep\_id = 'known-search'", summary, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "pareto_front.png")));
        Assert.False(File.Exists(Path.Combine(folder, "search_curves.png")), "no early stopping, no pruned-curves chart");
        AssertImagesAndLinks(folder);
    }

    [Fact]
    public async Task WriteAsync_AshaSearch_CountsPrunedTrialsAndDrawsTheirCurvesToTheStop()
    {
        var store = await databases.SqliteAsync();
        await StoreSearchAsync(store, "known-asha", AshaSpec,
        [
            ("adam", 0.1, TrialStatus.Completed, 10, 3, [100, 40, 20, 10]),
            ("gd", 0.01, TrialStatus.Pruned, 90, 1, [100, 90]),
            ("adam", 0.01, TrialStatus.Completed, 12, 2, [100, 50, 30, 12]),
            ("gd", 0.1, TrialStatus.Pruned, 60, 1, [100, 80, 60]),
        ]);

        var sweeps = await SweepReportWriter.ResolveAsync(store, ["known-asha"], CancellationToken.None);
        var folder = await SweepReportWriter.WriteAsync(store, sweeps, Path.Combine(databases.Folder, "asha"), CancellationToken.None);

        var history = ReportCsv.Read(Path.Combine(folder, "search_history.csv"));
        Assert.Equal(["completed", "pruned", "completed", "pruned"], history.Select(r => r["status"]));
        Assert.Equal(["", "2", "", "3"], history.Select(r => r["pruned_at"]));
        Assert.Equal(["10", "10", "10", "10"], history.Select(r => r["best_so_far"]));
        var summary = await File.ReadAllTextAsync(Path.Combine(folder, "summary.md"));
        Assert.Contains("4 of 4 trials stored (2 completed, 0 diverged, 0 failed, 2 pruned)", summary, StringComparison.Ordinal);
        Assert.Contains("ASHA early stopping on loss (η 2, first rung at iteration 1, checked every 1)", summary, StringComparison.Ordinal);
        Assert.Contains("Stored: 2 completed, 2 pruned, 0 diverged, 0 failed.", summary, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "search_curves.png")));
        AssertImagesAndLinks(folder);
    }

    private static async Task StoreSearchAsync(
        IResultStore store, string id, string spec, IReadOnlyList<(string Optimizer, double Rate, TrialStatus Status, double Mse, double Slope, float[] Loss)> trials)
    {
        await store.CreateSweepAsync(KnownSweep.Sweep(id, id, LinearRegressionDefinition.Name, trials.Count) with { Spec = spec, SpecFormat = "yaml" });
        var results = trials.Select((t, i) =>
        {
            var parameters = LinearRegressionDefinition.Instance.Bind(
            [
                new("optimizer", t.Optimizer), new("learning_rate", t.Rate.ToString("R", CultureInfo.InvariantCulture)), new("iterations", "3"),
            ]);
            return KnownSweep.Result(id, i, LinearRegressionDefinition.Name, parameters, 0, t.Status) with
            {
                Metrics = t.Status == TrialStatus.Diverged
                    ? ImmutableSortedDictionary<string, double>.Empty
                    : ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, double> { ["mse"] = t.Mse, ["slope"] = t.Slope, ["loss"] = t.Mse }),
                Steps = [new StepSeries("loss", t.Loss)],
                DivergedAtStep = t.Status == TrialStatus.Diverged ? 1 : null,
            };
        }).ToList();
        await store.SaveResultsAsync(results);
    }
}
