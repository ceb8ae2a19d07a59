using GradDescent.Silo.Commands;
using Microsoft.Extensions.Logging;

namespace GradDescent.Dashboard.Tests;

/// <summary>
/// The application under test: the dashboard composed exactly as <c>graddescent dashboard</c> composes it
/// (<see cref="DashboardHost"/>), started by WebApplicationFactory with its settings as <c>--key=value</c> arguments.
/// </summary>
public static class DashboardTestHost
{
    public static async Task Main(string[] args)
    {
        await using var app = DashboardHost.Build(args, new Dictionary<string, string?>(), LogLevel.Warning);
        await app.RunAsync();
    }
}

/// <summary>A type of the test assembly, whose entry point is <see cref="DashboardTestHost.Main"/>, for WebApplicationFactory.</summary>
public sealed class DashboardTestEntry;
