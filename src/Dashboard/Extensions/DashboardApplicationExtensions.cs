using GradDescent.Dashboard.Api;
using GradDescent.Dashboard.Options;
using GradDescent.Dashboard.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace GradDescent.Dashboard.Extensions;

/// <summary>Adds the dashboard's middleware and endpoints to a web application built with <see cref="DashboardServiceCollectionExtensions.AddGradDescentDashboard"/>.</summary>
public static class DashboardApplicationExtensions
{
    /// <summary>
    /// Security headers, the embedded static files (<c>/css</c>, <c>/js</c>, <c>/lib</c>), authentication, authorization,
    /// rate limiting, the pages, the REST API under <c>/api</c> and its OpenAPI document at <c>/openapi/v1.json</c>.
    /// </summary>
    public static WebApplication MapGradDescentDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(SecurityHeaders.Apply);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(DashboardOptions).Assembly, "GradDescent.Dashboard.wwwroot"),
            OnPrepareResponse = context => context.Context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=300",
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapRazorPages();
        app.MapSweepEndpoints();
        app.MapTrialEndpoints();
        app.MapOperationsEndpoints();
        app.MapLiveEndpoints();
        app.MapOpenApi();
        return app;
    }
}
