using GradDescent.Grains.Sweeps;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using GradDescent.Workers.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Hosting;

/// <summary>Wiring shared by every command's host: configuration, logging, options, the result store.</summary>
public static class GradDescentHosting
{
    /// <summary>
    /// A host builder whose configuration is environment variables (<c>GradDescent__Database__ConnectionString</c>...)
    /// overlaid with the command's own options. Logs go to stderr so stdout stays for results.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> overrides, LogLevel minimumLevel)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(minimumLevel);
        // Orleans is chatty at Warning on a loaded 2-core machine (thread-pool stall notes); commands
        // show its errors only, the silo and worker hosts (Information) show its warnings too.
        builder.Logging.AddFilter("Orleans", minimumLevel <= LogLevel.Information ? LogLevel.Warning : LogLevel.Error);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    /// <summary>Reads configuration the way hosts do, for commands that need no host (status, results...).</summary>
    public static IConfiguration ReadConfiguration(IReadOnlyDictionary<string, string?> overrides) =>
        new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(overrides).Build();

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.ConnectionString ?? DatabaseOptions.DefaultConnectionString;

    /// <summary>Command-line options that map onto configuration keys.</summary>
    public static Dictionary<string, string?> Overrides(CommandArguments arguments)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (arguments.Option("db") is { } db)
        {
            overrides[$"{DatabaseOptions.Section}:ConnectionString"] = db.Contains('=', StringComparison.Ordinal) ? db : $"Data Source={db}";
        }

        if (arguments.Option("device") is { } device)
        {
            overrides[$"{WorkerOptions.Section}:Device"] = device;
        }

        if (arguments.Option("slots") is { } slots)
        {
            overrides[$"{WorkerOptions.Section}:Slots"] = slots;
        }

        if (arguments.Option("worker-id") is { } workerId)
        {
            overrides[$"{WorkerOptions.Section}:WorkerId"] = workerId;
        }

        if (arguments.Option("max-trials") is { } maxTrials)
        {
            overrides[$"{SweepOptions.Section}:MaxTrials"] = maxTrials;
        }

        return overrides;
    }

    /// <summary>Opens the configured result store and creates or upgrades its schema.</summary>
    public static async Task<IResultStore> OpenStoreAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var store = ResultStoreFactory.Create(ConnectionString(configuration));
        try
        {
            await store.EnsureSchemaAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }
}
