using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GradDescent.Hosting.Telemetry;

/// <summary>
/// <c>/healthz</c> (the process serves requests) and <c>/readyz</c> (every registered check passes: store
/// reachable, silo joined, worker connected), as short JSON bodies naming each check.
/// </summary>
internal static class HealthEndpoints
{
    public static IResult Alive() => Results.Json(new JsonObject { ["status"] = "healthy" });

    public static async Task<IResult> ReadyAsync(HealthCheckService checks, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(cancellationToken);
        var ready = report.Status == HealthStatus.Healthy;
        var body = new JsonObject
        {
            ["status"] = ready ? "ready" : "not-ready",
            ["checks"] = new JsonObject(report.Entries
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => KeyValuePair.Create<string, JsonNode?>(e.Key, Describe(e.Value)))),
        };
        return Results.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static string Describe(HealthReportEntry entry) =>
        entry.Status == HealthStatus.Healthy ? "ok" : entry.Description ?? entry.Exception?.Message ?? entry.Status.ToString().ToLowerInvariant();
}
