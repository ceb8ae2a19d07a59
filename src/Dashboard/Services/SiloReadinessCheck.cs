using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GradDescent.Dashboard.Services;

/// <summary>
/// Readiness of a dashboard that is a client of a cluster (<c>silo</c> check): a silo answers a control-plane call now.
/// A local-mode dashboard has the local silo's <c>cluster</c> check and its worker's <c>silo</c> check instead.
/// </summary>
public sealed class SiloReadinessCheck(ControlPlane controlPlane) : IHealthCheck
{
    public const string Name = "silo";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await controlPlane.WorkersAsync(cancellationToken);
            return HealthCheckResult.Healthy("ok");
        }
        catch (ControlPlaneUnavailableException e)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
