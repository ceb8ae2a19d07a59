using GradDescent.Dashboard.Extensions;
using GradDescent.Dashboard.Options;
using GradDescent.Grains.Extensions;
using GradDescent.Hosting.Logging;
using GradDescent.Hosting.Orleans;
using GradDescent.Hosting.Telemetry;
using GradDescent.Storage;
using GradDescent.Storage.Extensions;
using GradDescent.Workers.Extensions;
using GradDescent.Workers.FileAccess;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary>
/// The one place the dashboard process is composed, with the wiring every command uses: logging, telemetry (its
/// <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> on the dashboard's own URL), the result store with its schema,
/// and the Orleans side. With SQLite it hosts the local silo, the control plane and a worker, so sweeps launched from
/// the page run on this machine; with PostgreSQL it is a client of the cluster.
/// </summary>
public static class DashboardHost
{
    /// <summary>
    /// How long a dashboard on PostgreSQL waits for a silo at start (one started beside it is still installing its
    /// tables); after that it exits with the reason. Its web endpoints answer once a silo has.
    /// </summary>
    public static readonly TimeSpan SiloStartPatience = TimeSpan.FromMinutes(2);

    /// <summary>Builds the dashboard application (not started).</summary>
    /// <param name="args">
    /// Host arguments: <c>--key=value</c> configuration, above the environment (WebApplicationFactory passes its
    /// settings this way).
    /// </param>
    /// <param name="flags">Command-line flags as configuration keys (<c>--db</c>, <c>--urls</c>, <c>--log-format</c>), above everything.</param>
    /// <param name="minimumLevel">Least log level shown (a long-running service: Information, as silo and worker).</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?> flags, LogLevel minimumLevel = LogLevel.Information)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = "graddescent",
            ContentRootPath = Environment.CurrentDirectory,
        });
        builder.Configuration.AddInMemoryCollection(flags);
        // The telemetry endpoints are mapped on the dashboard's own URL below, never on a second port.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Port)}"] = "0" });

        builder.AddGradDescentLogging(minimumLevel);
        // The sign-in cookie's and anti-forgery tokens' keys live in the user's profile; the warnings are about that.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.AddGradDescentTelemetry();
        builder.Services.AddGradDescentStorage().AddGradDescentStoreSchemaAtStart();
        var local = IsSqlite(builder.Configuration);
        if (local)
        {
            builder.AddGradDescentLocalSilo();
            // Sweeps the store lists as running (this dashboard was stopped mid-sweep) resume at once.
            builder.Services.AddGradDescentControlPlane(resumeRunningSweepsAtStart: true, localWorkerOnly: true).AddGradDescentSweepStatusTelemetry();
            // A spec launched from the browser has no folder: the configured roots and the working directory.
            builder.Services.AddGradDescentFileAccess([Environment.CurrentDirectory]);
            builder.Services.AddGradDescentWorker();
        }
        else
        {
            builder.AddGradDescentClusterClient(waitForCluster: SiloStartPatience);
            // Specs are checked against this process's configured roots only, as the cluster's workers check theirs.
            builder.Services.AddGradDescentFileAccess();
        }

        builder.Services.AddGradDescentDashboard(clusterClient: !local);
        var dashboard = builder.Configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions();
        builder.WebHost.UseUrls(dashboard.Addresses());

        var app = builder.Build();
        app.MapGradDescentTelemetry();
        app.MapGradDescentDashboard();
        return app;
    }

    /// <summary>
    /// SQLite (local mode) or PostgreSQL (cluster client), decided before the build from the configured connection
    /// string. One that names neither is refused at start by the storage options' validation, naming the setting.
    /// </summary>
    private static bool IsSqlite(IConfiguration configuration)
    {
        var connectionString = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.ConnectionString
            ?? DatabaseOptions.DefaultConnectionString;
        try
        {
            return ResultStoreFactory.DetectProvider(connectionString) == StorageProvider.Sqlite;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
