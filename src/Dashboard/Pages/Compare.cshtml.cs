using GradDescent.Dashboard.Services;
using GradDescent.Storage.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GradDescent.Dashboard.Pages;

/// <summary>Two or more sweeps side by side (<c>?sweeps=A&amp;sweeps=B</c>): rankings, best-so-far and learning curves.</summary>
public sealed class CompareModel(SweepService sweeps, ChartService charts) : PageModel
{
    [BindProperty(Name = "sweeps", SupportsGet = true)]
    public List<string> Ids { get; set; } = [];

    public IReadOnlyList<SweepView> All { get; private set; } = [];

    public List<SweepView> Chosen { get; } = [];

    public List<IReadOnlyList<OptimizerSummaryRow>> Rankings { get; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        All = await sweeps.ListAsync(new SweepListFilter(), cancellationToken);
        foreach (var id in Ids.Distinct(StringComparer.Ordinal).Take(8))
        {
            if (await sweeps.FindAsync(id, cancellationToken) is { } record)
            {
                Chosen.Add(All.FirstOrDefault(s => s.Id == record.Id) ?? await sweeps.ViewAsync(record, cancellationToken));
                Rankings.Add(await charts.RankingAsync(record, cancellationToken));
            }
        }
    }
}
