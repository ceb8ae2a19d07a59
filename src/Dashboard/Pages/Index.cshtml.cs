using GradDescent.Abstractions.Experiments;
using GradDescent.Dashboard.Security;
using GradDescent.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GradDescent.Dashboard.Pages;

/// <summary>The sweeps list: filter by name, status, experiment (in the URL); live progress; pause, resume, cancel.</summary>
public sealed class IndexModel(SweepService sweeps, PageAccess access) : PageModel
{
    public static readonly string[] Statuses = ["pending", "running", "paused", "completed", "cancelled", "failed"];

    public static IEnumerable<string> Experiments => ExperimentCatalog.All.Select(e => e.Name);

    [BindProperty(SupportsGet = true)]
    public string? Name { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Experiment { get; set; }

    public IReadOnlyList<SweepView> Sweeps { get; private set; } = [];

    public bool StateChangesEnabled => access.StateChangesEnabled;

    public bool SignedIn { get; private set; }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Name) || !string.IsNullOrWhiteSpace(Status) || !string.IsNullOrWhiteSpace(Experiment);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Sweeps = await sweeps.ListAsync(new SweepListFilter(Name, Status, Experiment), cancellationToken);
        SignedIn = await access.CanOperateAsync(HttpContext);
    }
}
