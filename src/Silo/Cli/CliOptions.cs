using System.CommandLine;
using System.Globalization;
using GradDescent.Dashboard.Options;
using GradDescent.Grains.Sweeps;
using GradDescent.Hosting.Logging;
using GradDescent.Hosting.Telemetry;
using GradDescent.Storage;
using GradDescent.Workers.Runtime;

namespace GradDescent.Silo.Cli;

/// <summary>
/// Options several commands share, and the configuration key each flag sets: a flag is one more
/// configuration source, above the environment (<c>--slots 2</c> is <c>GradDescent__Worker__Slots=2</c>).
/// </summary>
public static class CliOptions
{
    /// <summary>Flag name → configuration key.</summary>
    public static readonly IReadOnlyDictionary<string, string> ConfigurationKeys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--db"] = $"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ConnectionString)}",
        ["--log-format"] = $"{LoggingOptions.Section}:{nameof(LoggingOptions.Format)}",
        ["--device"] = $"{WorkerOptions.Section}:{nameof(WorkerOptions.Device)}",
        ["--slots"] = $"{WorkerOptions.Section}:{nameof(WorkerOptions.Slots)}",
        ["--worker-id"] = $"{WorkerOptions.Section}:{nameof(WorkerOptions.WorkerId)}",
        ["--pool"] = $"{WorkerOptions.Section}:{nameof(WorkerOptions.Pool)}",
        ["--max-trials"] = $"{SweepOptions.Section}:{nameof(SweepOptions.MaxTrials)}",
        ["--metrics-port"] = $"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Port)}",
        ["--urls"] = $"{DashboardOptions.Section}:{nameof(DashboardOptions.Urls)}",
    };

    /// <summary><c>--db</c>, accepted by every command.</summary>
    public static Option<string> Database { get; } = new("--db")
    {
        Description = "Result store: a SQLite file (a value without '=' is a path) or a connection string (Host=...;Database=... for PostgreSQL). "
            + "Default: GradDescent__Database__ConnectionString, else graddescent.db.",
        HelpName = "PATH|CONNECTION",
        Recursive = true,
    };

    /// <summary><c>--log-format</c>, accepted by every command.</summary>
    public static Option<string> LogFormat { get; } = CreateLogFormat();

    /// <summary>The configuration value a flag's text stands for.</summary>
    public static string ConfigurationValue(string flag, string text) =>
        flag == "--db" && !text.Contains('=', StringComparison.Ordinal) ? $"Data Source={text}" : text;

    public static Option<bool> Json(string description = "Print JSON instead of text.") => new("--json") { Description = description };

    public static Option<bool> Verbose() => new("--verbose") { Description = "Log the silo's and worker's information messages." };

    public static Option<bool> NoReport() => new("--no-report") { Description = "Do not write the comparison report at the end." };

    public static Option<string> ReportFolder() => new("--out")
    {
        Description = "Folder of the end-of-sweep report (default reports/<sweep-id>).",
        HelpName = "DIR",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "Torch device: auto (CUDA if available, else CPU), cpu, cuda or cuda:N.",
        HelpName = "auto|cpu|cuda[:N]",
    };

    public static Option<int> Slots() => new("--slots")
    {
        Description = "Fused batches computed at once (default: one per core).",
        HelpName = "N",
    };

    public static Option<long> MaxTrials() => new("--max-trials")
    {
        Description = "Largest sweep accepted (default 1000000).",
        HelpName = "N",
    };

    /// <param name="defaultPort">The command's default, stated in its help.</param>
    public static Option<int> MetricsPort(int defaultPort) => new("--metrics-port")
    {
        Description = $"Serve /metrics, /healthz and /readyz on this port (0: off; default {defaultPort}; GradDescent__Telemetry__Port).",
        HelpName = "N",
    };

    /// <summary>An optional whole-number option checked against its range at parse time (bad value: exit 2 naming it).</summary>
    public static Option<int?> Bounded(string name, string description, int min, int max) =>
        WithRange(new Option<int?>(name) { Description = description, HelpName = "N" }, min, max);

    /// <summary>
    /// Adds a range check to a whole-number option. It reads the token itself, so a value that is not a number is an
    /// error naming the option (exit 2) rather than a crash of the parser.
    /// </summary>
    public static TOption WithRange<TOption>(TOption option, int min, int max)
        where TOption : Option
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (result.Tokens is [.., var token]
                && (!int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max))
            {
                result.AddError($"option {option.Name}: expected a whole number from {min} to {max}, got '{token.Value}'");
            }
        });
        return option;
    }

    public static Argument<string> SweepId() => new("sweep")
    {
        Description = "The sweep's id, or its name for the newest sweep of that name (graddescent sweeps lists them).",
    };

    public static Argument<string> Spec() => new("spec") { Description = "Sweep spec file (YAML or JSON; docs/sweep-spec.md)." };

    private static Option<string> CreateLogFormat()
    {
        var option = new Option<string>("--log-format")
        {
            Description = "Log lines on stderr as text or as one JSON object per line (GradDescent__Logging__Format).",
            HelpName = "text|json",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }
}
