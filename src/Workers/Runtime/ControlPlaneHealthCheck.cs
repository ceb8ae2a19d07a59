using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GradDescent.Workers.Runtime;

/// <summary>Readiness of a worker: its last call to a silo was answered.</summary>
public sealed class ControlPlaneHealthCheck(ControlPlaneConnection connection) : IHealthCheck
{
    public const string Name = "silo";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.Problem is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy("ok"));
}
