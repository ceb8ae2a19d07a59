using GradDescent.Deploy.Tests.Infrastructure;

namespace GradDescent.Deploy.Tests;

/// <summary>The configuration keys the environment tests accept come from the product's options classes.</summary>
public sealed class ConfigurationKeysTests
{
    [Fact]
    public void OptionsTypes_ReadFromTheCli_CoverEveryHostsSettings()
    {
        var sections = ConfigurationKeys.OptionsTypes.Select(t => (string)t.GetField("Section")!.GetValue(null)!).ToHashSet();

        Assert.Superset(
            new HashSet<string> { "GradDescent:Database", "GradDescent:Cluster", "GradDescent:Telemetry", "GradDescent:Logging", "GradDescent:Sweeps", "GradDescent:Worker", "GradDescent:Dashboard" },
            sections);
        Assert.Superset(
            new HashSet<string>
            {
                "GradDescent__Database__ConnectionString",
                "GradDescent__Cluster__AdvertisedAddress",
                "GradDescent__Cluster__ClusteringConnectionString",
                "GradDescent__Telemetry__Host",
                "GradDescent__Logging__Format",
                "GradDescent__Sweeps__LeaseDuration",
                "GradDescent__Worker__CacheFolder",
                "GradDescent__Dashboard__Urls",
                "GradDescent__Cluster__Tls__Mode",
                "GradDescent__Cluster__Tls__CertificatePath",
                "GradDescent__Cluster__Tls__KeyPath",
                "GradDescent__Cluster__Tls__CaPath",
            },
            ConfigurationKeys.Exact.ToHashSet());
    }

    [Fact]
    public void IsKnown_MisspeltOrIndexlessKeys_AreNot()
    {
        Assert.False(ConfigurationKeys.IsKnown("GradDescent__Worker__Slot"));
        Assert.False(ConfigurationKeys.IsKnown("GradDescent__Telemetry"));
        Assert.False(ConfigurationKeys.IsKnown("GradDescent__Dashboard__ApiKeys__"));
        Assert.True(ConfigurationKeys.IsKnown("GradDescent__Dashboard__ApiKeys__0"));
        Assert.True(ConfigurationKeys.IsKnown("POD_IP"));
    }

    [Fact]
    public void Pending_KeysOfWorkNotOnMainYet_AreNotDerivedFromAnOptionsClassYet()
    {
        // When one fails here, its options class has landed: remove it from ConfigurationKeys.Pending.
        foreach (var pending in ConfigurationKeys.Pending)
        {
            Assert.False(
                ConfigurationKeys.Exact.Contains(pending) || ConfigurationKeys.Exact.Concat(ConfigurationKeys.Prefixes).Any(k => pending.EndsWith("__", StringComparison.Ordinal) && k.StartsWith(pending, StringComparison.Ordinal)),
                $"{pending} now comes from an options class: remove it from ConfigurationKeys.Pending");
        }
    }
}
