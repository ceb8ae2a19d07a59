using GradDescent.Abstractions.Files;
using GradDescent.Workers.FileAccess;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace GradDescent.Workers.Tests.FileAccess;

public sealed class FileAccessRegistrationTests
{
    [Fact]
    public void AddGradDescentFileAccess_ConfiguredAndLocalRoots_GateAllowsBoth()
    {
        using var configured = new GateFolder();
        using var local = new GateFolder();
        using var services = Services(new() { ["GradDescent:Files:Roots:0"] = configured.Root, ["GradDescent:Files:MaxFileBytes"] = "4096", ["GradDescent:Files:ReadTimeout"] = "00:00:05" })
            .AddGradDescentFileAccess([local.Root])
            .BuildServiceProvider();

        var gate = services.GetRequiredService<FileGate>();

        Assert.Equal([configured.Root, local.Root], gate.Roots);
        Assert.Equal((4096L, TimeSpan.FromSeconds(5)), (gate.MaxFileBytes, gate.ReadTimeout));
    }

    [Fact]
    public void AddGradDescentFileAccess_NothingConfiguredNoLocalRoots_GateRefusesEveryFile()
    {
        using var services = Services([]).AddGradDescentFileAccess().BuildServiceProvider();

        Assert.Empty(services.GetRequiredService<FileGate>().Roots);
    }

    [Fact]
    public void AddGradDescentFileAccess_ZeroMaxFileBytes_FailsValidationNamingTheSetting()
    {
        using var services = Services(new() { ["GradDescent:Files:MaxFileBytes"] = "0" }).AddGradDescentFileAccess().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<FileGate>());

        Assert.Contains("MaxFileBytes", error.Message, StringComparison.Ordinal);
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services;
    }
}
