using System.Globalization;
using System.Text;
using GradDescent.Reports.Analysis;
using GradDescent.Reports.Document;
using GradDescent.Storage.Reports;

namespace GradDescent.Reports;

/// <summary>
/// The trials table, written as the rows stream by: every trial goes to the CSV file at once, and only the best
/// <see cref="RankingTables.ShownRows"/> completed trials are kept for the page, so a million-trial sweep is never held.
/// </summary>
internal sealed class TrialsCsvWriter : IAsyncDisposable
{
    private readonly StreamWriter file;
    private readonly IReadOnlyList<SweptAxis> axes;
    private readonly string[] fixedColumns;
    private readonly string[] headers;
    private readonly string[] csvHeaders;
    private readonly int sign;

    // The best ShownRows so far, worst last; a trial enters when it beats the worst.
    private readonly List<(double Key, TrialConvergenceRow Trial, IReadOnlyDictionary<string, string> Values)> best = new(RankingTables.ShownRows + 1);
    private string lastParameters = string.Empty;
    private IReadOnlyDictionary<string, string> values = new Dictionary<string, string>();

    private TrialsCsvWriter(string path, IReadOnlyList<SweptAxis> axes, string primaryMetric, int sign)
    {
        this.axes = axes;
        this.sign = sign;
        fixedColumns = [.. new[] { "optimizer", "learning_rate" }.Where(c => axes.All(a => a.Name != c))];
        headers = ["trial", .. axes.Select(a => a.Name.Replace('_', ' ')), "seed", "status", "converged", primaryMetric, "iterations to within 1% of the optimum", "wall time (ms)"];
        csvHeaders =
        [
            "trial_index", .. axes.Select(a => a.Name), .. fixedColumns, "seed", "status", "converged", "primary_metric", "optimum", "iterations_to_1pct",
            "diverged_at_step", "duration_ms", "parameters",
        ];
        file = new StreamWriter(path, append: false, new UTF8Encoding(false));
    }

    /// <summary>Opens the CSV file and writes its header line.</summary>
    public static async Task<TrialsCsvWriter> CreateAsync(string path, IReadOnlyList<SweptAxis> axes, string primaryMetric, int sign, CancellationToken cancellationToken)
    {
        var writer = new TrialsCsvWriter(path, axes, primaryMetric, sign);
        await writer.file.WriteLineAsync(ReportTable.CsvLine(writer.csvHeaders).AsMemory(), cancellationToken).ConfigureAwait(false);
        return writer;
    }

    /// <summary>Writes one trial (trials come by index).</summary>
    public async Task AddAsync(TrialConvergenceRow t, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(t.Parameters, lastParameters))
        {
            (lastParameters, values) = (t.Parameters, ParameterText.Read(t.Parameters));
        }

        string[] row =
        [
            Numbers.Csv(t.TrialIndex), .. axes.Select(a => values.GetValueOrDefault(a.Name, SweepAxes.Absent)),
            .. fixedColumns.Select(c => c == "optimizer" ? t.Optimizer : Numbers.Csv(t.LearningRate)),
            t.Seed.ToString(CultureInfo.InvariantCulture), t.Status, t.Converged ? "true" : "false", Numbers.Csv(t.PrimaryMetric), Numbers.Csv(t.Optimum),
            t.IterationsTo1Pct?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, t.DivergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            Numbers.Csv(t.DurationMs), t.Parameters,
        ];
        await file.WriteLineAsync(ReportTable.CsvLine(row).AsMemory(), cancellationToken).ConfigureAwait(false);
        if (t.PrimaryMetric is { } value && t.Status == "completed")
        {
            Keep(value * sign, t);
        }
    }

    /// <summary>The table the page shows: the best completed trials, best first (ties: the lower index).</summary>
    public ReportTable Shown() => new(
        "trials",
        headers,
        [.. best.Select(b => (string[])
        [
            Numbers.Show(b.Trial.TrialIndex), .. axes.Select(a => Numbers.ShowText(b.Values.GetValueOrDefault(a.Name, SweepAxes.Absent))),
            b.Trial.Seed.ToString(CultureInfo.InvariantCulture), b.Trial.Status, b.Trial.Converged ? "yes" : "no", Numbers.Show(b.Trial.PrimaryMetric),
            b.Trial.IterationsTo1Pct?.ToString(CultureInfo.InvariantCulture) ?? Numbers.Missing, Numbers.Show(b.Trial.DurationMs),
        ])],
        []) { CsvHeaders = csvHeaders };

    public ValueTask DisposeAsync() => file.DisposeAsync();

    private void Keep(double key, TrialConvergenceRow trial)
    {
        if (best.Count == RankingTables.ShownRows && key >= best[^1].Key)
        {
            return;
        }

        var at = best.FindIndex(b => b.Key > key);
        best.Insert(at < 0 ? best.Count : at, (key, trial, values));
        if (best.Count > RankingTables.ShownRows)
        {
            best.RemoveAt(best.Count - 1);
        }
    }
}
