using System.Globalization;

namespace GradDescent.Storage.Queries;

/// <summary>
/// The CSV form of a sweep's trials, shared by <c>graddescent results --csv</c> and the dashboard's export: the fixed
/// columns, then a column per parameter of the experiment and per stored metric, one row per trial.
/// </summary>
public sealed class TrialCsv
{
    private static readonly string[] FixedColumns =
        ["trial_index", "status", "seed", "attempts", "worker_id", "device", "duration_ms", "diverged_at_step", "error"];

    private readonly List<string> parameters;
    private readonly List<string> metrics;

    /// <param name="fields">The sweep's parameters and stored metrics: the columns after the fixed ones.</param>
    public TrialCsv(TrialFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        parameters = [.. fields.Experiment.Parameters.Select(p => p.Name)];
        metrics = [.. fields.Metrics.Select(m => m.Name)];
    }

    /// <summary>The header line.</summary>
    public string Header => string.Join(',', FixedColumns.Concat(parameters).Concat(metrics).Select(Cell));

    /// <summary>One trial's line (metrics round-trip exactly; an absent parameter or metric is an empty cell).</summary>
    public string Row(TrialListItem r)
    {
        ArgumentNullException.ThrowIfNull(r);
        IEnumerable<string> cells =
        [
            r.Index.ToString(CultureInfo.InvariantCulture), r.Status, r.Seed.ToString(CultureInfo.InvariantCulture),
            r.Attempts.ToString(CultureInfo.InvariantCulture), r.WorkerId, r.Device, r.DurationMs.ToString("R", CultureInfo.InvariantCulture),
            r.DivergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, r.Error ?? string.Empty,
            .. parameters.Select(p => r.Parameters.GetValueOrDefault(p) ?? string.Empty),
            .. metrics.Select(m => r.Metrics.TryGetValue(m, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty),
        ];
        return string.Join(',', cells.Select(Cell));
    }

    /// <summary>RFC 4180 quoting; a cell starting with = + - @ is prefixed with ' so spreadsheets do not run it as a formula.</summary>
    public static string Cell(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Length > 0 && cell[0] is '=' or '+' or '@' or '\t' or '\r' || (cell.Length > 1 && cell[0] == '-' && !char.IsAsciiDigit(cell[1]) && cell[1] != '.'))
        {
            cell = "'" + cell;
        }

        return cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
    }
}
