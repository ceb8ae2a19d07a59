using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>
/// A running <c>graddescent</c> process (the CLI built beside the tests), its output read line by line
/// so a test can wait for a specific line (an event) instead of sleeping.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<string> stdoutLines = Channel.CreateUnbounded<string>();
    private readonly Channel<string> stderrLines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly Task pumps;

    private CliProcess(Process process)
    {
        this.process = process;
        pumps = Task.WhenAll(PumpAsync(process.StandardOutput, stdout, stdoutLines), PumpAsync(process.StandardError, stderr, stderrLines));
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Stdout
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    public static CliProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        StartProgram("dotnet", [Path.Combine(AppContext.BaseDirectory, "graddescent.dll"), .. arguments], environment, workingDirectory);

    /// <summary>
    /// Starts any program (Prometheus, a published <c>graddescent</c>, <c>ip netns exec ...</c>) with the same
    /// line-by-line output capture. <paramref name="inheritEnvironment"/> false: the process sees only
    /// <paramref name="environment"/>, as a container sees only its image's and manifest's variables.
    /// </summary>
    public static CliProcess StartProgram(
        string program,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        bool inheritEnvironment = true)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (!inheritEnvironment)
        {
            info.Environment.Clear();
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new CliProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}"));
    }

    /// <summary>Runs a command to its end.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        await using var cli = Start(arguments, environment, workingDirectory);
        var exitCode = await cli.WaitForExitAsync(timeout ?? TimeSpan.FromMinutes(5));
        return (exitCode, cli.Stdout, cli.Stderr);
    }

    /// <summary>Waits for a stdout line that satisfies <paramref name="match"/>; fails with what was printed if none comes.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string expectation) =>
        WaitForAsync(stdoutLines, match, timeout, expectation);

    /// <summary>Waits for a stderr line (a log line) that satisfies <paramref name="match"/>.</summary>
    public Task<string> WaitForStderrAsync(Func<string, bool> match, TimeSpan timeout, string expectation) =>
        WaitForAsync(stderrLines, match, timeout, expectation);

    private async Task<string> WaitForAsync(Channel<string> lines, Func<string, bool> match, TimeSpan timeout, string expectation)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancel.Token))
            {
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"no line {expectation} within {timeout}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        throw new InvalidOperationException($"the process ended without a line {expectation}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList.Take(3))} did not exit within {timeout}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        await pumps;
        return process.ExitCode;
    }

    /// <summary>Sends a signal by name (<c>STOP</c>, <c>CONT</c>, <c>TERM</c>...) with <c>kill(1)</c>.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("could not run kill");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{name} {process.Id} failed with exit code {kill.ExitCode}");
        }
    }

    /// <summary>SIGKILL: no clean-up of any kind, as <c>kill -9</c>.</summary>
    public void KillHard() => process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as <c>kill</c> or a container runtime stopping the process: a graceful stop.</summary>
    public void Terminate()
    {
        if (SignalProcess(process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        await pumps;
        process.Dispose();
    }

    private const int Sigterm = 15;

    [DllImport("libc.so.6", EntryPoint = "kill", ExactSpelling = true, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SignalProcess(int pid, int signal);

    private static async Task PumpAsync(StreamReader reader, StringBuilder into, Channel<string>? lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.AppendLine(line);
            }

            lines?.Writer.TryWrite(line);
        }

        lines?.Writer.TryComplete();
    }
}
