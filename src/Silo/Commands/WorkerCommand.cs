using System.CommandLine;
using GradDescent.Hosting.Orleans;
using GradDescent.Hosting.Telemetry;
using GradDescent.Silo.Cli;
using GradDescent.Workers.Extensions;
using GradDescent.Workers.FileAccess;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent worker</c>: joins a cluster with its device, slots and pool, and runs leased trials.</summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var command = new Command("worker", "Run a worker that joins a cluster and computes leased trials.")
        {
            new Option<string>("--pool") { Description = "Worker pool this worker belongs to, e.g. cpu or gpu (default 'default'; a metrics label).", HelpName = "NAME" },
            CliOptions.Device(),
            CliOptions.Slots(),
            new Option<string>("--worker-id") { Description = "Stable id stored with every result (default: host name and process id).", HelpName = "ID" },
            CliOptions.MetricsPort(TelemetryOptions.WorkerPort),
        };
        command.SetAction((parse, ct) => CliHost.RunAsync<ServeCommand>(
            parse,
            builder =>
            {
                builder.AddGradDescentTelemetry();
                builder.AddGradDescentClusterClient(waitForCluster: Timeout.InfiniteTimeSpan);
                // Only explicitly configured roots (GradDescent__Files__Roots__N): a cluster worker trusts no spec's folder.
                builder.Services.AddGradDescentFileAccess().AddGradDescentWorker();
            },
            ct,
            LogLevel.Information,
            new Dictionary<string, string?> { [CliOptions.ConfigurationKeys["--metrics-port"]] = $"{TelemetryOptions.WorkerPort}" }));
        return command;
    }
}
