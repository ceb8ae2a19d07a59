using GradDescent.Dashboard.Options;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent dashboard [--db PATH|CONNECTION] [--urls URLS]</c>: the web dashboard. SQLite: one process with the
/// local silo and a worker (sweeps launched from the page run here); PostgreSQL: a client of the cluster.
/// </summary>
public sealed class DashboardCommand : ICommand
{
    public string Name => "dashboard";

    public string Summary => "Serve the web dashboard (SQLite: with a local silo and worker; PostgreSQL: as a cluster client).";

    public string Usage => $"dashboard [--db PATH|CONNECTION] [--urls {DashboardOptions.DefaultUrls}] [--verbose]";

    public IReadOnlySet<string> Switches { get; } = new HashSet<string> { "verbose" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "db", "urls", "device", "slots" };

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(0);
        var overrides = GradDescentHosting.Overrides(arguments);
        if (arguments.Option("urls") is { } urls)
        {
            overrides[$"{DashboardOptions.Section}:Urls"] = urls;
        }

        await using var app = await DashboardHost.BuildAsync([], overrides, arguments.Has("verbose") ? LogLevel.Information : LogLevel.Warning, cancellationToken);
        await app.StartAsync(cancellationToken);
        await Console.Error.WriteLineAsync($"dashboard: {string.Join(' ', app.Urls)} (Ctrl-C stops it)");
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
