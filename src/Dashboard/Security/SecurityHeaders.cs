using Microsoft.AspNetCore.Http;

namespace GradDescent.Dashboard.Security;

/// <summary>
/// Headers on every response: scripts only from this origin (no inline script, so injected markup cannot run), no
/// framing, no MIME sniffing, no referrer to other sites. Styles allow inline attributes (the charting library sets them).
/// </summary>
internal static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static Task Apply(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        return next();
    }
}
