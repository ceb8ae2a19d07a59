using GradDescent.Dashboard.Security;
using GradDescent.Dashboard.Services;
using GradDescent.Storage.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GradDescent.Dashboard.Pages;

/// <summary>One sweep: live progress, history, ranking with CIs, parallel coordinates, slices, learning curves.</summary>
public sealed class SweepModel(SweepService sweeps, ChartService charts, PageAccess access) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    /// <summary>How many of the best trials' learning curves to draw (<c>?top=</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public int Top { get; set; } = 5;

    /// <summary><c>?live=off</c> opens the page with live updates paused.</summary>
    [BindProperty(Name = "live", SupportsGet = true)]
    public string? LiveSetting { get; set; }

    public bool Live => !string.Equals(LiveSetting, "off", StringComparison.OrdinalIgnoreCase);

    public SweepView? Sweep { get; private set; }

    public IReadOnlyList<OptimizerSummaryRow> Ranking { get; private set; } = [];

    public long? BestTrial => Sweep?.BestTrial;

    public bool StateChangesEnabled => access.StateChangesEnabled;

    public bool SignedIn { get; private set; }

    /// <summary>A configuration (JSON object of parameters) as its swept parameters, e.g. <c>learning_rate=0.01</c>.</summary>
    public string Configuration(string parametersJson)
    {
        var all = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(parametersJson) ?? [];
        var swept = Sweep?.SweptParameters.Where(p => p != "optimizer" && all.ContainsKey(p)).ToList() ?? [];
        return swept.Count == 0 ? "–" : string.Join(' ', swept.Select(p => $"{p}={all[p]}"));
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await sweeps.FindAsync(Id, cancellationToken) is not { } record)
        {
            return NotFound();
        }

        Top = Math.Clamp(Top, 1, 50);
        Sweep = await sweeps.ViewAsync(record, cancellationToken);
        Ranking = await charts.RankingAsync(record, cancellationToken);
        SignedIn = await access.CanOperateAsync(HttpContext);
        return Page();
    }
}
