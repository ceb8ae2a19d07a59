using System.CommandLine;
using GradDescent.Dashboard.Options;
using GradDescent.Silo.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent dashboard [--db PATH|CONNECTION] [--urls URLS]</c>: the web dashboard (<see cref="DashboardHost"/>).
/// SQLite: one process with the local silo and a worker (sweeps launched from the page run here); PostgreSQL: a client
/// of the cluster.
/// </summary>
public static class DashboardCommand
{
    public static Command Create()
    {
        var command = new Command(
            "dashboard",
            "Serve the web dashboard, its REST API and /metrics, /healthz, /readyz (SQLite: with a local silo and worker; "
            + "PostgreSQL: as a client of the cluster; docs/dashboard.md).")
        {
            new Option<string>("--urls")
            {
                Description = $"Where to listen, semicolon-separated (default {DashboardOptions.DefaultUrls}; GradDescent__Dashboard__Urls).",
                HelpName = "URL",
            },
        };
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        await using var app = DashboardHost.Build([], CliHost.Flags(parse));
        await app.StartAsync(cancellationToken);
        await Console.Error.WriteLineAsync($"dashboard: {string.Join(' ', app.Urls)} (Ctrl-C stops it)");
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
