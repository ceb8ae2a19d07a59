using GradDescent.Dashboard.Security;
using GradDescent.Dashboard.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GradDescent.Dashboard.Pages;

/// <summary>The pause, resume and cancel buttons post here (sign-in cookie + anti-forgery token), then go back.</summary>
public sealed class SweepActionModel(SweepService sweeps, PageAccess access) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string Verb { get; set; } = string.Empty;

    [BindProperty]
    public string? ReturnUrl { get; set; }

    public string Problem { get; private set; } = string.Empty;

    public IActionResult OnGet() => Redirect($"/sweeps/{Uri.EscapeDataString(Id)}");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ReturnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : $"/sweeps/{Uri.EscapeDataString(Id)}";
        if (!access.StateChangesEnabled)
        {
            Problem = "State changes are disabled: no API key is configured (GradDescent__Dashboard__ApiKeys__0).";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        if (!await access.CanOperateAsync(HttpContext))
        {
            return Redirect($"/signin?ReturnUrl={Uri.EscapeDataString(ReturnUrl)}");
        }

        if (await sweeps.FindAsync(Id, cancellationToken) is not { } record)
        {
            return NotFound();
        }

        try
        {
            await sweeps.ChangeAsync(record, Enum.Parse<SweepAction>(Verb, ignoreCase: true), cancellationToken);
            return LocalRedirect(ReturnUrl);
        }
        catch (ControlPlaneUnavailableException ex)
        {
            Problem = ex.Message;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
    }
}
