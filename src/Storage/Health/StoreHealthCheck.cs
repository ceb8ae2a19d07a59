using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GradDescent.Storage.Health;

/// <summary>Readiness: the result store answers a trivial query.</summary>
public sealed class StoreHealthCheck(IResultStore store) : IHealthCheck
{
    public const string Name = "store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("ok");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{store.Provider} unreachable: {e.Message}", e);
        }
    }
}
