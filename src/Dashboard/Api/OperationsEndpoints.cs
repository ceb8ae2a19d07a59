using GradDescent.Dashboard.Options;
using GradDescent.Dashboard.Security;
using GradDescent.Dashboard.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Api;

/// <summary><c>/api/workers</c> and <c>/api/specs/check</c>.</summary>
internal static class OperationsEndpoints
{
    public static void MapOperationsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/workers", async (WorkerService workers, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(await workers.ListAsync(ct));
            }
            catch (ControlPlaneUnavailableException ex)
            {
                return ApiResults.Unavailable(ex);
            }
        })
        .RequireAuthorization(DashboardAuth.ReadPolicy)
        .WithTags("Workers").WithName("ListWorkers").WithSummary("Workers the dispatcher has seen: device, slots, busy slots, batches done, last contact.");

        endpoints.MapPost("/api/specs/check", async (HttpRequest request, SweepLauncher launcher, IOptions<DashboardOptions> options, CancellationToken ct) =>
        {
            var (text, error) = await ApiResults.ReadSpecAsync(request, options.Value.MaxSpecBytes, ct);
            if (error is not null)
            {
                return error;
            }

            var check = launcher.Check(text!, SweepLauncher.DefaultSourceName);
            return Results.Ok(new { valid = check.Valid, trials = check.Spec?.TotalTrials, name = check.Spec?.Name, experiment = check.Spec?.Experiment, errors = check.Problems });
        })
        .RequireAuthorization(DashboardAuth.ReadPolicy)
        .RequireRateLimiting(DashboardAuth.LaunchRateLimit)
        .Accepts<string>(ApiResults.SpecContentTypes[0], ApiResults.SpecContentTypes[1..])
        .WithTags("Sweeps").WithName("CheckSpec").WithSummary("Validate a spec (the messages of graddescent validate) and count its trials; stores nothing.");
    }
}
