using System.Diagnostics;
using GradDescent.Integration.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// <c>graddescent trial</c> with hostile file parameters, as a process: bad input (exit 2), promptly, and nothing of
/// the file in the output, however the command's file roots are configured. Every case sets the widest root there is
/// (<c>/</c>), so what stops it is the file gate's own checks, not the roots.
/// </summary>
public sealed class TrialFileAccessTests
{
    private const string Secret = "hunter2-must-not-be-printed";

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["GradDescent__Files__Roots__0"] = "/",
        ["GD_TEST_SECRET"] = Secret,
    };

    private static readonly TimeSpan Prompt = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("/proc/self/environ")]
    [InlineData("/proc/self/cmdline")]
    [InlineData("/etc/passwd")]
    public async Task Trial_DataIsAFileOfTheSystem_ExitsTwoQuotingNothingOfIt(string path)
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["trial", "linear-regression", $"data={path}"], Environment, timeout: Prompt);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("parameter 'data'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("PATH=", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trial_DataIsDevZero_ExitsTwoWithoutReadingIt()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["trial", "linear-regression", "data=/dev/zero"], Environment, timeout: Prompt);

        Assert.Equal(2, exitCode);
        Assert.Contains("'/dev/zero'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trial_DataIsAFifo_ExitsTwoInsteadOfWaitingForAWriter()
    {
        using var folder = new TempFolder();
        var fifo = folder.File("heights.csv");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["trial", "linear-regression", $"data={fifo}"], Environment, folder.Path, Prompt);

        Assert.Equal(2, exitCode);
        Assert.Contains(fifo, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trial_NulInThePath_ExitsTwoNamingTheParameter()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["trial", "linear-regression", "data=/etc/passwd\u0001.csv"], Environment, timeout: Prompt);

        Assert.Equal(2, exitCode);
        Assert.Contains("parameter 'data': a file path must not contain control characters", stderr, StringComparison.Ordinal);
    }
}
