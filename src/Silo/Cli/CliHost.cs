using System.CommandLine;
using System.CommandLine.Parsing;
using GradDescent.Hosting.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Cli;

/// <summary>
/// The one host every command runs in: configuration is the command's defaults, then environment variables
/// (<c>GradDescent__Database__ConnectionString</c>...), then the command-line flags; logs go to stderr so stdout
/// stays for results. The command's handler is resolved from it.
/// </summary>
public static class CliHost
{
    /// <summary>Builds the host, resolves <typeparamref name="THandler"/> from it and runs it.</summary>
    /// <param name="configure">Adds what the command needs (store, silo, worker...) and its input.</param>
    /// <param name="defaults">Configuration defaults of this command (e.g. the silo's metrics port), below the environment.</param>
    public static async Task<int> RunAsync<THandler>(
        ParseResult parse,
        Action<HostApplicationBuilder> configure,
        CancellationToken cancellationToken,
        LogLevel minimumLevel = LogLevel.Warning,
        IReadOnlyDictionary<string, string?>? defaults = null)
        where THandler : class, ICommandHandler
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = CreateBuilder(defaults, Flags(parse), minimumLevel);
        configure(builder);
        builder.Services.AddTransient<THandler>();
        using var host = builder.Build();
        return await host.Services.GetRequiredService<THandler>().RunAsync(cancellationToken);
    }

    /// <summary>A builder over the given configuration layers with GradDescent logging.</summary>
    public static HostApplicationBuilder CreateBuilder(
        IReadOnlyDictionary<string, string?>? defaults, IReadOnlyDictionary<string, string?> flags, LogLevel minimumLevel)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "graddescent",
            ContentRootPath = Environment.CurrentDirectory,
        });
        builder.Configuration.AddInMemoryCollection(defaults ?? new Dictionary<string, string?>());
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(flags);
        builder.AddGradDescentLogging(minimumLevel);
        return builder;
    }

    /// <summary>A second, short-lived host over an existing configuration (e.g. a cluster client for one call).</summary>
    public static HostApplicationBuilder CreateBuilder(IConfiguration configuration, LogLevel minimumLevel)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "graddescent" });
        builder.Configuration.AddConfiguration(configuration);
        builder.AddGradDescentLogging(minimumLevel);
        return builder;
    }

    /// <summary>The configuration keys set by flags on this command line.</summary>
    public static IReadOnlyDictionary<string, string?> Flags(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (flag, key) in CliOptions.ConfigurationKeys)
        {
            if (parse.GetResult(flag) is OptionResult { Implicit: false, Tokens.Count: > 0 } result)
            {
                flags[key] = CliOptions.ConfigurationValue(flag, result.Tokens[^1].Value);
            }
        }

        return flags;
    }
}
