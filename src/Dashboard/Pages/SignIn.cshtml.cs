using System.Security.Claims;
using GradDescent.Dashboard.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GradDescent.Dashboard.Pages;

/// <summary>Exchanges an API key for the pages' session cookie (the key itself is never stored in the cookie).</summary>
public sealed class SignInModel(ApiKeys keys) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Key { get; set; }

    public bool Enabled => keys.Enabled;

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var fingerprint = keys.Match(Key);
        if (fingerprint is null)
        {
            Problem = keys.Enabled ? "That key is not one of the configured API keys." : "No API key is configured.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var identity = new ClaimsIdentity([new Claim(DashboardAuth.KeyClaim, fingerprint), new Claim(ClaimTypes.Name, $"key {fingerprint[..6]}")], DashboardAuth.CookieScheme);
        await HttpContext.SignInAsync(DashboardAuth.CookieScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(DashboardAuth.CookieScheme);
        return LocalRedirect("/");
    }
}
