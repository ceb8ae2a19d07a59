using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Security;

/// <summary>Authenticates <c>Authorization: Bearer KEY</c> against the configured API keys.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var fingerprint = keys.Match(header["Bearer ".Length..].Trim());
        if (fingerprint is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("the API key is not valid"));
        }

        var identity = new ClaimsIdentity([new Claim(DashboardAuth.KeyClaim, fingerprint), new Claim(ClaimTypes.Name, $"key {fingerprint[..6]}")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(new
        {
            title = "An API key is required",
            status = 401,
            detail = keys.Enabled
                ? "send Authorization: Bearer <key> with one of the configured keys (GradDescent__Dashboard__ApiKeys__0, ...)"
                : "state changes are disabled: no API key is configured (set GradDescent__Dashboard__ApiKeys__0)",
        });
    }
}
