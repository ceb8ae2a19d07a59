using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace GradDescent.Hosting.Logging;

/// <summary>Console logging on stderr (stdout stays for results), text or JSON lines per <see cref="LoggingOptions"/>.</summary>
public static class LoggingExtensions
{
    /// <summary>
    /// Replaces the host's log providers with one console logger on stderr whose format follows
    /// <see cref="LoggingOptions.Format"/> (<c>GradDescent__Logging__Format</c>). Orleans, ASP.NET Core and
    /// Polly log at Warning and above; at <paramref name="minimumLevel"/> above Information, Orleans logs errors only.
    /// </summary>
    public static IHostApplicationBuilder AddGradDescentLogging(this IHostApplicationBuilder builder, LogLevel minimumLevel = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LoggingOptions>().BindConfiguration(LoggingOptions.Section).ValidateOnStart();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Services.AddOptions<ConsoleLoggerOptions>().Configure<IOptions<LoggingOptions>>((console, logging) =>
        {
            console.LogToStandardErrorThreshold = LogLevel.Trace;
            console.FormatterName = logging.Value.Format == LogFormat.Json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;
        });
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
        });
        builder.Logging.SetMinimumLevel(minimumLevel);
        // Orleans is chatty at Warning on a loaded 2-core machine (thread-pool stall notes): commands show its
        // errors only; the silo and worker (Information) show its warnings too.
        builder.Logging.AddFilter("Orleans", minimumLevel <= LogLevel.Information ? LogLevel.Warning : LogLevel.Error);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        // A failing readiness check is the probe's answer, not an error of the process.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        // A host that fails to start is reported once, by the command line, as "error: ..." with its exit code.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        return builder;
    }
}
