using System.Net;
using System.Net.Sockets;
using GradDescent.Dashboard.Extensions;
using GradDescent.Dashboard.Options;
using GradDescent.Grains.Sweeps;
using GradDescent.Storage;
using GradDescent.Workers.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansClusterOptions = Orleans.Configuration.ClusterOptions;

namespace GradDescent.Silo.Hosting;

/// <summary>
/// The one place the dashboard process is composed: configuration, the result store, the Orleans side and the web app.
/// With SQLite it hosts the local silo (control plane) and a worker in-process, so sweeps launched from the page run
/// on this machine; with PostgreSQL it is an Orleans client of the cluster. The Orleans wiring mirrors
/// <see cref="OrleansHosting"/> (which takes a <see cref="HostApplicationBuilder"/>, not the web builder); it becomes the
/// shared AddGradDescentControlPlane()/AddGradDescentWorker() extensions when those land.
/// </summary>
public static class DashboardHost
{
    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>Builds the dashboard application (not started) with its store's schema created or upgraded.</summary>
    /// <param name="args">Host arguments (<c>--key=value</c> configuration, as WebApplicationFactory passes them).</param>
    /// <param name="overrides">Command-line options as configuration keys (<c>--db</c>, <c>--urls</c>).</param>
    public static async Task<WebApplication> BuildAsync(string[] args, IReadOnlyDictionary<string, string?> overrides, LogLevel minimumLevel, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(DashboardHost).Assembly.GetName().Name });
        builder.Configuration.AddInMemoryCollection(overrides);
        ConfigureLogging(builder, minimumLevel);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var dashboard = builder.Configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions();
        builder.WebHost.UseUrls(dashboard.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var store = await GradDescentHosting.OpenStoreAsync(builder.Configuration, cancellationToken);
        builder.Services.AddSingleton<IResultStore>(_ => store);
        if (store.Provider == StorageProvider.Sqlite)
        {
            AddLocalControlPlaneAndWorker(builder);
        }
        else
        {
            AddClusterClient(builder);
        }

        builder.Services.AddGradDescentDashboard();
        var app = builder.Build();
        app.MapGradDescentDashboard();
        return app;
    }

    private static void AddLocalControlPlaneAndWorker(WebApplicationBuilder builder)
    {
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "graddescent-local", clusterId: $"dashboard-{Environment.ProcessId}"));
        builder.Services.AddExperiments();
        builder.Services.AddHostedService<WorkerHost>();

        // After UseOrleans: sweeps the store lists as running (this dashboard was stopped mid-sweep) resume at once.
        builder.Services.AddHostedService<ControlPlaneStartup>();
    }

    private static void AddClusterClient(WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        var clustering = OrleansHosting.ClusteringConnectionString(builder.Configuration, cluster);
        builder.UseOrleansClient(client =>
        {
            client.Configure<OrleansClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = NpgsqlInvariant;
                o.ConnectionString = clustering;
            });
        });
    }

    private static void ConfigureLogging(WebApplicationBuilder builder, LogLevel minimumLevel)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(minimumLevel);
        builder.Logging.AddFilter("Orleans", minimumLevel <= LogLevel.Information ? LogLevel.Warning : LogLevel.Error);
        // Keys for the sign-in cookie and anti-forgery tokens live in the user's profile; the warning is about that.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
