using System.Globalization;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>
/// A control plane of several <c>graddescent silo</c> processes in one cluster (same PostgreSQL membership table, each
/// on its own silo, gateway and telemetry ports), as the production deployment runs two. Silos are started, found by
/// what they logged, and killed; the logs of every silo that ever ran are kept for assertions.
/// </summary>
public sealed class ControlPlaneSilos(IReadOnlyDictionary<string, string> cluster) : IAsyncDisposable
{
    private static readonly TimeSpan Ready = TimeSpan.FromMinutes(3);
    private readonly List<ControlSilo> silos = [];

    /// <summary>The silos not killed (yet) and still running (a silo voted dead by the others stops by itself).</summary>
    public IReadOnlyList<ControlSilo> Running => [.. silos.Where(s => !s.Killed && !s.Process.HasExited)];

    /// <summary>Silos that stopped without being killed (voted dead while alive: a false death).</summary>
    public IReadOnlyList<ControlSilo> ExitedByThemselves => [.. silos.Where(s => !s.Killed && s.Process.HasExited)];

    /// <summary>The stderr of every silo so far.</summary>
    public IEnumerable<string> Logs => silos.Select(s => s.Process.Stderr);

    /// <summary>Starts a silo on ports of its own and waits until its <c>/readyz</c> says it joined the cluster and started.</summary>
    public async Task<ControlSilo> StartAsync()
    {
        var telemetryPort = FreePorts.Next();
        var environment = new Dictionary<string, string>(cluster)
        {
            ["GradDescent__Cluster__SiloPort"] = FreePorts.NextText(),
            ["GradDescent__Cluster__GatewayPort"] = FreePorts.NextText(),
            ["GradDescent__Telemetry__Port"] = telemetryPort.ToString(CultureInfo.InvariantCulture),
        };
        var silo = new ControlSilo($"silo-{silos.Count + 1}", CliProcess.Start(["silo"], environment));
        silos.Add(silo);
        await Scrape.WaitUntilReadyAsync(telemetryPort, Ready, silo.Process);
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in silos)
        {
            await silo.Process.DisposeAsync();
        }
    }
}
