using GradDescent.Dashboard.Options;
using GradDescent.Dashboard.Security;
using GradDescent.Dashboard.Services;
using GradDescent.Sweeps;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Api;

/// <summary><c>/api/sweeps</c>: list, get (by id or newest of a name), launch, cancel, pause, resume; chart data.</summary>
internal static class SweepEndpoints
{
    public static void MapSweepEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var sweeps = endpoints.MapGroup("/api/sweeps").WithTags("Sweeps").RequireAuthorization(DashboardAuth.ReadPolicy);

        sweeps.MapGet("/", async (string? name, string? status, string? experiment, SweepService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(new SweepListFilter(name, status, experiment), ct)))
            .WithName("ListSweeps").WithSummary("Stored sweeps, newest first (filter by name substring, status, experiment).");

        sweeps.MapGet("/{idOrName}", async (string idOrName, SweepService service, CancellationToken ct) =>
            await service.FindAsync(idOrName, ct) is { } record ? Results.Ok(await service.ViewAsync(record, ct)) : ApiResults.NotFound(idOrName))
            .WithName("GetSweep").WithSummary("One sweep by id, or the newest sweep with that name.");

        sweeps.MapGet("/{idOrName}/spec", async (string idOrName, SweepService service, CancellationToken ct) =>
            await service.FindAsync(idOrName, ct) is { } record ? Results.Text(record.Spec, "text/plain; charset=utf-8") : ApiResults.NotFound(idOrName))
            .WithName("GetSweepSpec").WithSummary("The spec exactly as submitted.");

        sweeps.MapPost("/", LaunchAsync)
            .RequireAuthorization(DashboardAuth.ApiOperatePolicy)
            .RequireRateLimiting(DashboardAuth.LaunchRateLimit)
            .Accepts<string>(ApiResults.SpecContentTypes[0], ApiResults.SpecContentTypes[1..])
            .WithName("LaunchSweep").WithSummary("Validate a spec (request body, YAML or JSON), store the sweep and start it: 201 with its id.");

        foreach (var action in Enum.GetValues<SweepAction>())
        {
            var verb = action.ToString().ToLowerInvariant();
            sweeps.MapPost($"/{{idOrName}}/{verb}", (string idOrName, SweepService service, CancellationToken ct) => ChangeAsync(idOrName, action, service, ct))
                .RequireAuthorization(DashboardAuth.ApiOperatePolicy)
                .WithName($"{action}Sweep").WithSummary($"{action} the sweep; answers the sweep after the change.");
        }

        sweeps.MapGet("/{idOrName}/history", async (string idOrName, SweepService service, ChartService charts, CancellationToken ct) =>
            await service.FindAsync(idOrName, ct) is { } record ? Results.Ok(await charts.HistoryAsync(record, ct)) : ApiResults.NotFound(idOrName))
            .WithName("GetSweepHistory").WithSummary("Primary metric of every trial in finishing order, and the best so far (sampled for large sweeps).");

        sweeps.MapGet("/{idOrName}/points", async (string idOrName, SweepService service, ChartService charts, CancellationToken ct) =>
            await service.FindAsync(idOrName, ct) is { } record ? Results.Ok(await charts.PointsAsync(record, ct)) : ApiResults.NotFound(idOrName))
            .WithName("GetSweepPoints").WithSummary("Swept parameters and primary metric of completed trials (parallel coordinates, slices).");

        sweeps.MapGet("/{idOrName}/curves", async (string idOrName, int? top, SweepService service, ChartService charts, CancellationToken ct) =>
            await service.FindAsync(idOrName, ct) is { } record ? Results.Ok(await charts.CurvesAsync(record, top ?? 5, ct)) : ApiResults.NotFound(idOrName))
            .WithName("GetSweepCurves").WithSummary("Step series (learning curves) of the best trials.");

        sweeps.MapGet("/{idOrName}/ranking", async (string idOrName, SweepService service, ChartService charts, CancellationToken ct) =>
            await service.FindAsync(idOrName, ct) is { } record ? Results.Ok(await charts.RankingAsync(record, ct)) : ApiResults.NotFound(idOrName))
            .WithName("GetSweepRanking").WithSummary("Optimizers ranked at their best configuration: mean and 95% CI over seeds (the optimizer_summary view).");
    }

    private static async Task<IResult> LaunchAsync(HttpRequest request, SweepLauncher launcher, IOptions<DashboardOptions> options, CancellationToken ct)
    {
        var (text, error) = await ApiResults.ReadSpecAsync(request, options.Value.MaxSpecBytes, ct);
        if (error is not null)
        {
            return error;
        }

        try
        {
            var record = await launcher.LaunchAsync(text!, SweepLauncher.DefaultSourceName, ct);
            return TypedResults.Created($"/api/sweeps/{Uri.EscapeDataString(record.Id)}", new { id = record.Id, name = record.Name, experiment = record.Experiment, trials = record.TotalTrials });
        }
        catch (SweepSpecException)
        {
            return ApiResults.InvalidSpec(launcher.Check(text!, SweepLauncher.DefaultSourceName));
        }
        catch (ControlPlaneUnavailableException ex)
        {
            return ApiResults.Unavailable(ex);
        }
    }

    private static async Task<IResult> ChangeAsync(string idOrName, SweepAction action, SweepService service, CancellationToken ct)
    {
        if (await service.FindAsync(idOrName, ct) is not { } record)
        {
            return ApiResults.NotFound(idOrName);
        }

        try
        {
            return TypedResults.Ok(await service.ChangeAsync(record, action, ct));
        }
        catch (ControlPlaneUnavailableException ex)
        {
            return ApiResults.Unavailable(ex);
        }
    }
}
