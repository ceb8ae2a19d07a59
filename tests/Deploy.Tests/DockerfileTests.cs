using System.Text.RegularExpressions;
using GradDescent.Deploy.Testing;

namespace GradDescent.Deploy.Tests;

/// <summary>
/// deploy/docker: what can be checked without a Docker engine (none runs on the build machines): pinned
/// base images, the publish command, a non-root user, one entry point for every command, the version, a
/// build context that holds what the Dockerfiles copy, and dockerfile-utils' lint.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string> Files => ["Dockerfile", "Dockerfile.cuda"];

    /// <summary>Each Dockerfile with the image name the manifests use.</summary>
    public static TheoryData<string, string> Images => new() { { "Dockerfile", "graddescent" }, { "Dockerfile.cuda", "graddescent-cuda" } };

    /// <summary>Each Dockerfile with the libtorch flavour it builds (GradDescentTorchDevice).</summary>
    public static TheoryData<string, string> Devices => new() { { "Dockerfile", "cpu" }, { "Dockerfile.cuda", "cuda" } };

    [Theory]
    [MemberData(nameof(Files))]
    public void BaseImages_AreAspNetCoreAndSdkOnUbuntuNobleNeverLatest(string file)
    {
        var dockerfile = Load(file);

        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0-noble", "mcr.microsoft.com/dotnet/aspnet:10.0-noble"], dockerfile.BaseImages);
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void BuildStage_PublishesTheCliWithItsTorchDevice(string file, string device)
    {
        var publish = Assert.Single(Load(file).BuildStage, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal));

        Assert.Contains("dotnet publish src/Silo/GradDescent.Silo.csproj --configuration Release --output /app", publish.Arguments, StringComparison.Ordinal);
        Assert.Contains($"-p:GradDescentTorchDevice={device}", publish.Arguments, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void BuildStage_InstallsNpmBeforePublishing(string file)
    {
        var stage = Load(file).BuildStage.ToList();

        // src/Dashboard, which the CLI references, runs `npm ci` from its lockfile when it builds.
        var npm = stage.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("apt-get install -y --no-install-recommends nodejs npm", StringComparison.Ordinal));
        var publish = stage.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.InRange(npm, 0, publish - 1);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void FinalStage_RunsGradDescentAsTheNonRootUser(string file, string image)
    {
        var stage = Load(file).FinalStage;

        Assert.Equal("$APP_UID", stage.Last(i => i.Keyword == "USER").Arguments);
        Assert.True(stage.ToList().FindLastIndex(i => i.Keyword == "USER") > stage.ToList().FindLastIndex(i => i.Keyword == "RUN"), "a RUN after USER would run as the app user; USER must come after the last RUN");
        Assert.Equal("[\"graddescent\"]", stage.Single(i => i.Keyword == "ENTRYPOINT").Arguments);
        Assert.Contains(stage, i => i.Keyword == "RUN" && i.Arguments.Contains("ln -s /app/graddescent /usr/local/bin/graddescent", StringComparison.Ordinal));
        Assert.Contains($"org.opencontainers.image.title=\"{image}\"", stage.Single(i => i.Keyword == "LABEL").Arguments, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void FinalStage_VersionIsTheProductVersion(string file)
    {
        var stage = Load(file).FinalStage;

        Assert.Equal($"VERSION={ProjectVersion.Current}", stage.Single(i => i.Keyword == "ARG").Arguments);
        Assert.Contains("org.opencontainers.image.version=\"${VERSION}\"", stage.Single(i => i.Keyword == "LABEL").Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaImage_LetsTheDevicePluginChooseGpus()
    {
        var env = string.Join(' ', Load("Dockerfile.cuda").FinalStage.Where(i => i.Keyword == "ENV").Select(i => i.Arguments));

        Assert.Contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility", env, StringComparison.Ordinal);
        Assert.DoesNotContain("NVIDIA_VISIBLE_DEVICES", env, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void BuildContext_HoldsEveryPathTheDockerfileCopies(string file)
    {
        var ignored = DockerIgnore();
        foreach (var copy in Load(file).BuildStage.Where(i => i.Keyword == "COPY"))
        {
            foreach (var source in copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            {
                Assert.True(File.Exists(RepositoryLayout.PathOf(source)) || Directory.Exists(RepositoryLayout.PathOf(source)), $"{file} copies {source}, which the repository lacks");
                Assert.False(ignored.Any(p => p.IsMatch(source.TrimEnd('/'))), $"{file} copies {source}, which .dockerignore excludes");
            }
        }

        Assert.Contains(ignored, p => p.IsMatch("src/Silo/bin"));
        Assert.Contains(ignored, p => p.IsMatch("src/Silo/obj"));
        Assert.Contains(ignored, p => p.IsMatch(".git"));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Lint_DockerfileUtils_FindsNothing(string file)
    {
        var linter = Path.Combine(RepositoryLayout.Docker, "node_modules", "dockerfile-utils", "bin", "dockerfile-utils");
        Assert.True(File.Exists(linter), $"{linter} is missing: run `npm ci --prefix deploy/docker` (tests/run-tests.sh does)");

        var result = ExternalTool.Run("node", [linter, "lint", Path.Combine(RepositoryLayout.Docker, file)]);

        Assert.True(result.ExitCode == 0 && result.StandardOutput.Trim().Length == 0, result.Output);
    }

    [Fact]
    public void Lint_DockerfileUtils_ReportsABrokenDockerfile()
    {
        var linter = Path.Combine(RepositoryLayout.Docker, "node_modules", "dockerfile-utils", "bin", "dockerfile-utils");
        var file = Path.Combine(Path.GetTempPath(), $"graddescent-{Guid.NewGuid():N}.Dockerfile");
        File.WriteAllText(file, "FROM scratch\nCOPY onlyone\nEXPOSE port\n");
        try
        {
            var result = ExternalTool.Run("node", [linter, "lint", file]);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("COPY requires at least two arguments", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Dockerfile Load(string file) => Dockerfile.Load(Path.Combine(RepositoryLayout.Docker, file));

    /// <summary>.dockerignore patterns as regular expressions over '/'-separated context paths.</summary>
    private static List<Regex> DockerIgnore() =>
    [
        .. File.ReadAllLines(RepositoryLayout.PathOf(".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(p => new Regex(
                "^" + Regex.Escape(p.TrimEnd('/')).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "(/.*)?$",
                RegexOptions.CultureInvariant)),
    ];
}
