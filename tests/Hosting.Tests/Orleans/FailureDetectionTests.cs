using GradDescent.Hosting.Orleans;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace GradDescent.Hosting.Tests.Orleans;

/// <summary>
/// Failure detection as the hosts configure Orleans, inspected without starting anything: silos probe each other with
/// <c>GradDescent:Cluster:ProbeTimeout</c> (2 s unless set, not Orleans' 5 s; no probe times out sooner) and re-read the table every 10 s; clients
/// re-read the gateway list every <c>GradDescent:Cluster:GatewayListRefreshPeriod</c> (10 s unless set, not 60 s).
/// </summary>
public sealed class FailureDetectionTests
{
    [Fact]
    public void AddGradDescentClusterSilo_Defaults_ProbesEveryTwoSecondsAndRefreshesTheTableEveryTen()
    {
        var builder = Builder([]);

        builder.AddGradDescentClusterSilo();

        using var host = builder.Build();
        var membership = host.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(2), membership.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), membership.MinProbeTimeout);
        Assert.Equal(3, membership.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(10), membership.TableRefreshTimeout);
    }

    [Fact]
    public void AddGradDescentClusterSilo_ProbeTimeoutSet_UsesTheSetting()
    {
        var builder = Builder(new() { ["GradDescent:Cluster:ProbeTimeout"] = "00:00:07" });

        builder.AddGradDescentClusterSilo();

        using var host = builder.Build();
        var membership = host.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7)), (membership.ProbeTimeout, membership.MinProbeTimeout));
    }

    [Fact]
    public void AddGradDescentClusterSilo_ProbeTimeoutTooShort_FailsNamingTheSetting()
    {
        var builder = Builder(new() { ["GradDescent:Cluster:ProbeTimeout"] = "00:00:00.010" });
        builder.AddGradDescentClusterSilo();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<GradDescent.Hosting.Orleans.ClusterOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains(nameof(GradDescent.Hosting.Orleans.ClusterOptions.ProbeTimeout), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, 10)]
    [InlineData("00:00:03", 3)]
    public void AddGradDescentClusterClient_GatewayListRefreshPeriod_RefreshesTheGatewaysThatOften(string? setting, int seconds)
    {
        var builder = Builder(setting is null ? [] : new() { ["GradDescent:Cluster:GatewayListRefreshPeriod"] = setting });

        builder.AddGradDescentClusterClient();

        using var host = builder.Build();
        Assert.Equal(TimeSpan.FromSeconds(seconds), host.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.GatewayListRefreshPeriod);
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GradDescent:Database:ConnectionString"] = "Host=127.0.0.1;Database=graddescent",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
