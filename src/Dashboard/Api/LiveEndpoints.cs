using System.Text.Json;
using GradDescent.Dashboard.Options;
using GradDescent.Dashboard.Security;
using GradDescent.Dashboard.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Api;

/// <summary>
/// Live progress by server-sent events: <c>/api/sweeps/{idOrName}/events</c> (one sweep, ends with an <c>end</c>
/// event when it finishes) and <c>/api/live/sweeps</c> (the sweeps list). Pages open them with EventSource and can pause.
/// </summary>
internal static class LiveEndpoints
{
    public static void MapLiveEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/sweeps/{idOrName}/events", SweepEventsAsync)
            .RequireAuthorization(DashboardAuth.ReadPolicy)
            .WithTags("Live").WithName("SweepEvents").WithSummary("text/event-stream of 'progress' events (the sweep as GET /api/sweeps/{id} shows it) until an 'end' event.");

        endpoints.MapGet("/api/live/sweeps", ListEventsAsync)
            .RequireAuthorization(DashboardAuth.ReadPolicy)
            .WithTags("Live").WithName("SweepListEvents").WithSummary("text/event-stream of 'sweeps' events: the filtered sweeps list.");
    }

    private static async Task SweepEventsAsync(
        string idOrName, HttpContext context, SweepService sweeps, IOptions<DashboardOptions> options, IOptions<JsonOptions> json, TimeProvider time, CancellationToken ct)
    {
        if (await sweeps.FindAsync(idOrName, ct) is not { } record)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Start(context);
        using var timer = new PeriodicTimer(options.Value.LiveInterval, time);
        try
        {
            while (true)
            {
                var current = await sweeps.FindAsync(record.Id, ct) ?? record;
                var view = await sweeps.ViewAsync(current, ct);
                await WriteAsync(context, "progress", view, json.Value.SerializerOptions, ct);
                if (!view.IsActive)
                {
                    await WriteAsync(context, "end", view.Status, json.Value.SerializerOptions, ct);
                    return;
                }

                await timer.WaitForNextTickAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page closed the stream (navigated away or paused live updates).
        }
    }

    private static async Task ListEventsAsync(
        string? name, string? status, string? experiment, HttpContext context, SweepService sweeps, IOptions<DashboardOptions> options,
        IOptions<JsonOptions> json, TimeProvider time, CancellationToken ct)
    {
        Start(context);
        var filter = new SweepListFilter(name, status, experiment);
        using var timer = new PeriodicTimer(options.Value.LiveInterval * 2, time);
        try
        {
            do
            {
                await WriteAsync(context, "sweeps", await sweeps.ListAsync(filter, ct), json.Value.SerializerOptions, ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page closed the stream.
        }
    }

    private static void Start(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
    }

    private static async Task WriteAsync<T>(HttpContext context, string name, T data, JsonSerializerOptions json, CancellationToken ct)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, json)}\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
    }
}
