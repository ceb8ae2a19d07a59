using System.Globalization;
using GradDescent.Dashboard.Services;
using GradDescent.Storage.Queries;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace GradDescent.Dashboard.Pages;

/// <summary>
/// The trials table: server-paged, sortable on every column, filtered with the trial filter language, columns chosen;
/// all of it in the URL (<c>?filter=&amp;sort=&amp;p=&amp;size=&amp;cols=</c>) so a link reproduces the view.
/// </summary>
public sealed class TrialsModel(SweepService sweeps, TrialService trials) : PageModel
{
    public static readonly int[] PageSizes = [25, 50, 100, 250, 500];

    private static readonly string[] FixedColumns = ["trial_index", "status", "seed", "attempts", "worker_id", "device", "duration_ms", "diverged_at_step", "error"];

    private TrialFields? fields;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    /// <summary>Page number (<c>?p=</c>; "page" is taken by Razor Pages' routing).</summary>
    [BindProperty(SupportsGet = true)]
    public int P { get; set; } = 1;

    [BindProperty(SupportsGet = true)]
    public int Size { get; set; } = 50;

    [BindProperty(Name = "cols", SupportsGet = true)]
    public List<string> Cols { get; set; } = [];

    public SweepView? Sweep { get; private set; }

    public TrialPage? Result { get; private set; }

    public string? Problem { get; private set; }

    public int? ProblemPosition { get; private set; }

    public string? ProblemText { get; private set; }

    public IReadOnlyList<string> AllColumns { get; private set; } = [];

    public IReadOnlyList<string> Columns { get; private set; } = [];

    public IReadOnlyList<string> FieldNames { get; private set; } = [];

    public long PageCount => Result is null ? 1 : Math.Max(1, (Result.Total + Size - 1) / Size);

    public string CsvUrl => QueryHelpers.AddQueryString($"/api/sweeps/{Uri.EscapeDataString(Sweep!.Id)}/trials.csv", Query(("filter", Filter), ("sort", Sort)));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await sweeps.FindAsync(Id, cancellationToken) is not { } record)
        {
            return NotFound();
        }

        Sweep = sweeps.Header(record);
        fields = await trials.FieldsAsync(record, cancellationToken);
        var parameters = fields.Parameters.Select(p => p.Name).ToList();
        var metrics = fields.Metrics.Select(m => m.Name).ToList();
        AllColumns = [.. FixedColumns, .. parameters.Where(p => !FixedColumns.Contains(p)), .. metrics];
        FieldNames = [.. AllColumns, "started_at", "finished_at"];
        var chosen = Cols.SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Where(AllColumns.Contains).ToList();
        IEnumerable<string> preferred = ["trial_index", "status", "seed", .. Sweep.SweptParameters.Where(p => p != "seed"), .. metrics, "duration_ms"];
        Columns = chosen.Count > 0
            ? [.. preferred.Concat(AllColumns).Distinct().Where(c => c == "trial_index" || chosen.Contains(c))]
            : [.. preferred.Distinct()];
        Size = PageSizes.Contains(Size) ? Size : 50;
        P = Math.Max(1, P);
        try
        {
            Result = await trials.PageAsync(record, new TrialQuery(Filter, Sort, P, Size), cancellationToken);
        }
        catch (TrialQueryException ex)
        {
            Problem = ex.Message;
            ProblemPosition = ex.Position;
            ProblemText = ex.Part == "filter" ? Filter : Sort;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public bool IsNumeric(string column) => fields?.Find(column)?.Kind == TrialFieldKind.Number;

    public string Cell(TrialListItem trial, string column) => column switch
    {
        "status" => trial.Status,
        "seed" => trial.Seed.ToString(CultureInfo.InvariantCulture),
        "attempts" => trial.Attempts.ToString(CultureInfo.InvariantCulture),
        "worker_id" => trial.WorkerId,
        "device" => trial.Device,
        "duration_ms" => trial.DurationMs.ToString("F1", CultureInfo.InvariantCulture),
        "diverged_at_step" => trial.DivergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        "error" => trial.Error ?? string.Empty,
        _ when trial.Parameters.TryGetValue(column, out var parameter) => parameter,
        _ when trial.Metrics.TryGetValue(column, out var metric) => Format.Number(metric),
        _ => string.Empty,
    };

    /// <returns><c>ascending</c>, <c>descending</c> or null, for the column's header.</returns>
    public string? SortDirection(string column)
    {
        var first = (Sort ?? string.Empty).Split(',')[0].Trim();
        return first == column || first == column + " asc" ? "ascending" : first == "-" + column || first == column + " desc" ? "descending" : null;
    }

    public string SortUrl(string column) =>
        Link(("sort", SortDirection(column) == "ascending" ? "-" + column : column), ("p", "1"));

    public string PageUrl(long page) => Link(("p", page.ToString(CultureInfo.InvariantCulture)));

    private string Link(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>
        {
            ["filter"] = Filter,
            ["sort"] = Sort,
            ["size"] = Size == 50 ? null : Size.ToString(CultureInfo.InvariantCulture),
            ["p"] = P == 1 ? null : P.ToString(CultureInfo.InvariantCulture),
            ["cols"] = Cols.Count == 0 ? null : string.Join(',', Columns),
        };
        foreach (var (key, value) in changes)
        {
            values[key] = key == "p" && value == "1" ? null : value;
        }

        return QueryHelpers.AddQueryString($"/sweeps/{Uri.EscapeDataString(Sweep!.Id)}/trials", Query([.. values.Select(kv => (kv.Key, kv.Value))]));
    }

    private static IEnumerable<KeyValuePair<string, string?>> Query(params (string Key, string? Value)[] values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).Select(v => KeyValuePair.Create(v.Key, v.Value));
}
