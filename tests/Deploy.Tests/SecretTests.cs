using System.Text;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>Passwords come from Secrets; production renders none (the operator creates graddescent-database).</summary>
public sealed class SecretTests
{
    [Fact]
    public void Secrets_Production_RendersNoSecretAndNoLiteralPassword()
    {
        var manifests = Overlays.Render(Overlays.Production);

        Assert.Empty(manifests.All<V1Secret>());
        foreach (var workload in manifests.Workloads)
        {
            foreach (var variable in workload.AllContainers.SelectMany(c => c.Env ?? []))
            {
                Assert.False(variable.Value?.Contains("password", StringComparison.OrdinalIgnoreCase) is true, $"{workload.Id}: {variable.Name} has a literal password");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Secrets_Overlay_DatabaseConnectionComesFromTheDatabaseSecret(string overlay)
    {
        foreach (var workload in Overlays.Render(overlay).Workloads)
        {
            foreach (var container in workload.AllContainers.Where(Overlays.IsGradDescent))
            {
                var variable = container.Env.Single(v => v.Name == "GradDescent__Database__ConnectionString");
                Assert.Equal(("graddescent-database", "connection-string"), (variable.ValueFrom.SecretKeyRef.Name, variable.ValueFrom.SecretKeyRef.Key));
                Assert.Null(variable.ValueFrom.SecretKeyRef.Optional);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Secrets_Overlay_ReferencesOnlyTheDocumentedSecrets(string overlay)
    {
        var references = Overlays.Render(overlay).Workloads
            .SelectMany(w => w.AllContainers).SelectMany(c => c.Env ?? [])
            .Where(v => v.ValueFrom?.SecretKeyRef is not null)
            .Select(v => $"{v.ValueFrom.SecretKeyRef.Name}/{v.ValueFrom.SecretKeyRef.Key}{(v.ValueFrom.SecretKeyRef.Optional is true ? " (optional)" : string.Empty)}")
            .Distinct().Order(StringComparer.Ordinal).ToList();

        var expected = new List<string> { "graddescent-dashboard/api-key (optional)", "graddescent-database/connection-string" };
        if (overlay == Overlays.Dev)
        {
            expected.Add("graddescent-database/password");
        }

        Assert.Equal(expected, references);
    }

    [Fact]
    public void Secrets_Dev_ConnectionStringUsesThePostgresPasswordAndService()
    {
        var manifests = Overlays.Render(Overlays.Dev);
        var secret = manifests.Get<V1Secret>("graddescent-database");
        var connection = Encoding.UTF8.GetString(secret.Data["connection-string"]);
        var password = Encoding.UTF8.GetString(secret.Data["password"]);
        var postgres = manifests.Workload("postgres").Pod.Containers.Single();
        var service = manifests.Get<V1Service>("postgres");

        var parts = connection.Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(password, parts["Password"]);
        Assert.Equal(service.Metadata.Name, parts["Host"]);
        Assert.Equal(service.Spec.Ports.Single().Port.ToString(System.Globalization.CultureInfo.InvariantCulture), parts["Port"]);
        Assert.Equal(postgres.Env.Single(v => v.Name == "POSTGRES_USER").Value, parts["Username"]);
        Assert.Equal(postgres.Env.Single(v => v.Name == "POSTGRES_DB").Value, parts["Database"]);
    }
}
