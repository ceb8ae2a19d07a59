using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GradDescent.Hosting.Orleans;

/// <summary>
/// Readiness of a silo (<c>cluster</c> check): healthy between the silo lifecycle's <c>Active</c> stage
/// (joined the cluster, serving grains) and the start of its shutdown.
/// </summary>
public sealed class SiloReadiness : ILifecycleParticipant<ISiloLifecycle>, IHealthCheck
{
    public const string Name = "cluster";

    private volatile string? problem = "the silo has not joined the cluster yet";

    public void Participate(ISiloLifecycle observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        observer.Subscribe(
            nameof(SiloReadiness),
            ServiceLifecycleStage.Active,
            _ =>
            {
                problem = null;
                return Task.CompletedTask;
            },
            _ =>
            {
                problem = "the silo is shutting down";
                return Task.CompletedTask;
            });
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(problem is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy("ok"));
}
