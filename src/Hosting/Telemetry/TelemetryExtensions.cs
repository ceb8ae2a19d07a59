using GradDescent.Abstractions.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace GradDescent.Hosting.Telemetry;

/// <summary>Metrics (OpenTelemetry, Prometheus text) and health endpoints shared by every long-running host.</summary>
public static class TelemetryExtensions
{
    /// <summary>Meters exported besides <see cref="TelemetryNames.Meter"/>: Orleans' own and Npgsql's.</summary>
    public static readonly IReadOnlyList<string> ExternalMeters = ["Microsoft.Orleans", "Npgsql"];

    /// <summary>
    /// Binds <see cref="TelemetryOptions"/>, records the <c>GradDescent</c>, Orleans, Npgsql, .NET runtime and
    /// process meters for Prometheus, registers health checks, and, when <see cref="TelemetryOptions.Port"/>
    /// is not 0, serves <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> on it. Call it before the other
    /// services so the endpoint answers while they start. A web host (the dashboard) sets the port to 0 and
    /// maps the same endpoints on its own URL with <see cref="MapGradDescentTelemetry"/>.
    /// </summary>
    public static IHostApplicationBuilder AddGradDescentTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        builder.Services.AddHealthChecks();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(TelemetryNames.Meter)
            .AddMeter([.. ExternalMeters])
            .AddRuntimeInstrumentation()
            .AddProcessInstrumentation()
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.Services.AddHostedService<TelemetryEndpoint>();
        return builder;
    }

    /// <summary>
    /// Maps <c>GET /metrics</c> (Prometheus text), <c>/healthz</c> and <c>/readyz</c> on an app whose services
    /// come from a host with <see cref="AddGradDescentTelemetry"/>.
    /// </summary>
    /// <param name="meterProvider">The provider to scrape; null: the app's own.</param>
    public static IEndpointRouteBuilder MapGradDescentTelemetry(this IEndpointRouteBuilder endpoints, MeterProvider? meterProvider = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPrometheusScrapingEndpoint("/metrics", meterProvider, configureBranchedPipeline: null, optionsName: null);
        endpoints.MapGet("/healthz", HealthEndpoints.Alive);
        endpoints.MapGet("/readyz", (HealthCheckService checks, CancellationToken cancellationToken) => HealthEndpoints.ReadyAsync(checks, cancellationToken));
        return endpoints;
    }
}
