using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using GradDescent.Dashboard.Options;
using GradDescent.Dashboard.Security;
using GradDescent.Dashboard.Services;
using GradDescent.Grains.Sweeps;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Extensions;

/// <summary>
/// Registers the dashboard in a host that already provides <c>IResultStore</c> (AddGradDescentStorage), Orleans'
/// <c>IGrainFactory</c> (a silo or a cluster client) and the <c>FileGate</c> launched specs are checked against
/// (AddGradDescentFileAccess).
/// </summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Options (<c>GradDescent:Dashboard</c>, validated at start), the query and control services, Razor Pages, the API's
    /// JSON and OpenAPI document, authentication (bearer keys for the API, a sign-in cookie for pages), authorization
    /// policies and the launch rate limit.
    /// </summary>
    /// <param name="clusterClient">
    /// The control plane is a remote cluster: adds the <c>silo</c> readiness check (a silo answers a call now).
    /// </param>
    public static IServiceCollection AddGradDescentDashboard(this IServiceCollection services, bool clusterClient = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<PageAccess>();
        services.AddSingleton<ControlPlane>();
        services.AddSingleton<SweepService>();
        services.AddSingleton<SweepLauncher>();
        services.AddSingleton<TrialService>();
        services.AddSingleton<ChartService>();
        services.AddSingleton<WorkerService>();
        if (clusterClient)
        {
            services.AddHealthChecks().AddCheck<SiloReadinessCheck>(SiloReadinessCheck.Name);
        }

        services.AddRazorPages(o =>
            {
                // Pages read: open unless RequireKeyToRead. Their state-changing posts check the sign-in themselves.
                o.Conventions.AuthorizeFolder("/", DashboardAuth.ReadPolicy);
                o.Conventions.AllowAnonymousToPage("/SignIn");
                o.Conventions.AllowAnonymousToPage("/Error");
            })
            .AddApplicationPart(typeof(DashboardOptions).Assembly);
        services.ConfigureHttpJsonOptions(o =>
        {
            // Diverged trials store NaN and infinities; they travel as "NaN", "Infinity", "-Infinity".
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.AddOpenApi(o => o.AddDocumentTransformer(OpenApiSecurity.AddBearerKey));
        AddSecurity(services);
        return services;
    }

    private static void AddSecurity(IServiceCollection services)
    {
        const string selector = "GradDescent";
        services.AddAuthentication(selector)
            .AddPolicyScheme(selector, "bearer key or sign-in cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? DashboardAuth.BearerScheme : DashboardAuth.CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(DashboardAuth.BearerScheme, null)
            .AddCookie(DashboardAuth.CookieScheme, o =>
            {
                o.Cookie.Name = "graddescent.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/signin";
                o.Events = new CookieAuthenticationEvents
                {
                    // A revoked key ends its sessions at the next request.
                    OnValidatePrincipal = async context =>
                    {
                        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeys>();
                        if (!keys.IsCurrent(context.Principal?.FindFirst(DashboardAuth.KeyClaim)?.Value))
                        {
                            context.RejectPrincipal();
                            await context.HttpContext.SignOutAsync(DashboardAuth.CookieScheme);
                        }
                    },
                    // API callers get a status code, never a redirect to the sign-in page.
                    OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden),
                };
            });

        services.AddSingleton<IAuthorizationHandler, ReadAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardAuth.ReadPolicy, p => p.AddRequirements(new ReadAccessRequirement()))
            .AddPolicy(DashboardAuth.ApiOperatePolicy, p => p.AddAuthenticationSchemes(DashboardAuth.BearerScheme).RequireClaim(DashboardAuth.KeyClaim))
            .AddPolicy(DashboardAuth.PageOperatePolicy, p => p.AddAuthenticationSchemes(DashboardAuth.CookieScheme).RequireClaim(DashboardAuth.KeyClaim));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(DashboardAuth.LaunchRateLimit, context =>
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value.LaunchesPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
    }

    private static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
