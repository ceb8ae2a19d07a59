using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace GradDescent.Hosting.Orleans;

/// <summary>
/// Readiness of a silo (<c>cluster</c> check): healthy between the silo lifecycle's <c>Active</c> stage
/// (joined the cluster, serving grains) and the start of its shutdown, once the whole host has started. The host's
/// start continues after <c>Active</c> (the schema, waking the dispatcher); a pod stopped before it ends does not leave
/// the cluster cleanly (Orleans cancels a start in progress), so it is not ready until then.
/// </summary>
public sealed class SiloReadiness(IHostApplicationLifetime lifetime) : ILifecycleParticipant<ISiloLifecycle>, IHealthCheck
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
        Task.FromResult(
            problem is { } reason ? HealthCheckResult.Unhealthy(reason)
            : !lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Unhealthy("the silo joined the cluster; its host is still starting")
            : HealthCheckResult.Healthy("ok"));
}
