using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace GradDescent.Dashboard.Security;

/// <summary>What the current page visitor may do: used to enable buttons and to guard the pages' state-changing posts.</summary>
public sealed class PageAccess(ApiKeys keys)
{
    /// <summary>Whether any key is configured at all (otherwise state changes are off for everyone).</summary>
    public bool StateChangesEnabled => keys.Enabled;

    /// <summary>Whether the visitor signed in with a key that is still configured.</summary>
    public async Task<bool> CanOperateAsync(HttpContext context)
    {
        if (!keys.Enabled)
        {
            return false;
        }

        var result = await context.AuthenticateAsync(DashboardAuth.CookieScheme);
        return result.Succeeded && keys.IsCurrent(result.Principal?.FindFirst(DashboardAuth.KeyClaim)?.Value);
    }
}
