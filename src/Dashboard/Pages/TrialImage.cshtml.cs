using GradDescent.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GradDescent.Dashboard.Pages;

/// <summary>An adversarial trial's original or perturbed image (see <see cref="AdversarialImages"/>).</summary>
public sealed class TrialImageModel(SweepService sweeps, TrialService trials) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public long Index { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Which { get; set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await sweeps.FindAsync(Id, cancellationToken) is not { } record
            || await trials.DetailAsync(record, Index, cancellationToken) is not { } detail
            || AdversarialImages.Find(detail, Which) is not { } path)
        {
            return NotFound();
        }

        return PhysicalFile(path, "image/png");
    }
}
