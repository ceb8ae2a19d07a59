using System.CommandLine;
using GradDescent.Grains.Extensions;
using GradDescent.Hosting.Orleans;
using GradDescent.Hosting.Telemetry;
using GradDescent.Silo.Cli;
using GradDescent.Storage.Extensions;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent silo</c>: the cluster's control plane (sweep grains, dispatcher), membership in PostgreSQL.</summary>
public static class SiloCommand
{
    public static Command Create()
    {
        var command = new Command(
            "silo",
            "Run a control silo of a cluster (membership and results in PostgreSQL; GradDescent__Cluster__* settings, README.md).")
        {
            CliOptions.MetricsPort(TelemetryOptions.SiloPort),
        };
        command.SetAction((parse, ct) => CliHost.RunAsync<ServeCommand>(
            parse,
            builder =>
            {
                builder.AddGradDescentTelemetry();
                builder.Services.AddGradDescentStorage().AddGradDescentStoreSchemaAtStart();
                builder.AddGradDescentClusterSilo();
                builder.Services.AddGradDescentControlPlane(resumeRunningSweepsAtStart: true).AddGradDescentSweepStatusTelemetry();
            },
            ct,
            LogLevel.Information,
            new Dictionary<string, string?> { [CliOptions.ConfigurationKeys["--metrics-port"]] = $"{TelemetryOptions.SiloPort}" }));
        return command;
    }
}
