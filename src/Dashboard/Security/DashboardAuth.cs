namespace GradDescent.Dashboard.Security;

/// <summary>Authentication schemes, policies and claims of the dashboard.</summary>
public static class DashboardAuth
{
    /// <summary><c>Authorization: Bearer KEY</c>: scripts and the REST API. Never a cookie, so no cross-site request can use it.</summary>
    public const string BearerScheme = "GradDescentApiKey";

    /// <summary>The pages' sign-in cookie (HttpOnly, SameSite=Strict), issued for a valid key; its forms carry anti-forgery tokens.</summary>
    public const string CookieScheme = "GradDescentCookie";

    /// <summary>Read pages and GET endpoints: anyone, unless <c>RequireKeyToRead</c>.</summary>
    public const string ReadPolicy = "graddescent-read";

    /// <summary>API state changes: a valid bearer key.</summary>
    public const string ApiOperatePolicy = "graddescent-api-operate";

    /// <summary>Page state changes (form posts): the sign-in cookie.</summary>
    public const string PageOperatePolicy = "graddescent-page-operate";

    /// <summary>Rate limiter policy of launch and spec checks.</summary>
    public const string LaunchRateLimit = "graddescent-launch";

    /// <summary>Claim holding the fingerprint of the key a principal signed in with.</summary>
    public const string KeyClaim = "graddescent:key";
}
