using System.Text.Json;
using GradDescent.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GradDescent.Dashboard.Pages;

/// <summary>One trial: parameters, metrics, step series, status and error, attempts, worker, device, timings.</summary>
public sealed class TrialModel(SweepService sweeps, TrialService trials) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public long Index { get; set; }

    public SweepView? Sweep { get; private set; }

    public TrialDetail? Detail { get; private set; }

    public bool HasImages => AdversarialImages.Find(Detail, "original") is not null && AdversarialImages.Find(Detail, "adversarial") is not null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await sweeps.FindAsync(Id, cancellationToken) is not { } record)
        {
            return NotFound();
        }

        Sweep = sweeps.Header(record);
        Detail = await trials.DetailAsync(record, Index, cancellationToken);
        return Detail is null ? NotFound() : Page();
    }
}

/// <summary>
/// The images an adversarial trial wrote with <c>out=FOLDER</c>: served only when its stored detail names a file called
/// exactly <c>original.png</c> or <c>adversarial.png</c> that exists here (the worker that ran it may be elsewhere).
/// </summary>
public static class AdversarialImages
{
    public static string? Find(TrialDetail? detail, string which)
    {
        if (detail?.Detail is not { ValueKind: JsonValueKind.Object } document
            || !document.TryGetProperty($"{which}_png", out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var path = value.GetString();
        return path is not null && Path.IsPathFullyQualified(path) && Path.GetFileName(path) == $"{which}.png" && System.IO.File.Exists(path) ? path : null;
    }
}
