using System.Diagnostics;
using GradDescent.Deploy.Testing;
using GradDescent.Silo.Cli;
using Xunit;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>
/// The <c>graddescent</c> CLI published as the container image publishes it (deploy/docker/Dockerfile:
/// <c>dotnet publish src/Silo/GradDescent.Silo.csproj --configuration Release -p:GradDescentTorchDevice=cpu</c>,
/// the apphost <c>graddescent</c> as ENTRYPOINT), into a temporary folder once per test class that shares
/// this fixture, and deleted afterwards. <c>--no-restore</c>: the test run's build restored every project.
/// </summary>
public sealed class PublishedCli : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"graddescent-published-{Guid.NewGuid():N}");

    /// <summary>The apphost, what <c>/usr/local/bin/graddescent</c> links to in the image.</summary>
    public string Executable => Path.Combine(Folder, "graddescent");

    /// <summary>How long the publish took (printed by the tests that use it).</summary>
    public TimeSpan PublishTime { get; private set; }

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        var result = await Task.Run(() => ExternalTool.Run(
            "dotnet",
            [
                "publish", RepositoryLayout.PathOf("src/Silo/GradDescent.Silo.csproj"),
                "--configuration", "Release", "--output", Folder, "-p:GradDescentTorchDevice=cpu", "--no-restore", "--nologo", "-nodeReuse:false",
            ],
            timeout: PublishTimeout));
        PublishTime = watch.Elapsed;
        if (result.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException($"publishing the CLI failed:\n{result.Output}");
        }
    }

    /// <summary>True when the CLI (built from this checkout) has the command.</summary>
    public static bool HasCommand(string command) => CliApplication.CreateRootCommand().Subcommands.Any(c => c.Name == command);

    public Task DisposeAsync()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}
