using System.Diagnostics;
using System.Globalization;
using GradDescent.Abstractions.Storage;

namespace GradDescent.Silo.Commands;

/// <summary>
/// The process behind a local run's session (<c>host:pid</c>). A heartbeat stays fresh for
/// <see cref="SweepLiveness.StaleAfter"/> after its run was killed (<c>kill -9</c> clears nothing); when the session
/// names this machine, the process table answers at once: a pid that is gone, is not a <c>graddescent</c> process, or
/// started after the last heartbeat (the pid was reused) means the run is gone, and the sweep is interrupted now.
/// A session of another machine keeps the heartbeat rule.
/// </summary>
public static class LocalSessionProcess
{
    /// <summary>How far a process start time computed from the boot time may drift from the clock that stamped the heartbeat.</summary>
    private static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(1);

    /// <summary>The session name of this process.</summary>
    public static string Current => $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary><paramref name="sweep"/> as stored, or without its heartbeat when its local run's process is known to be gone.</summary>
    public static SweepRecord Verify(SweepRecord sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return sweep.HeartbeatAt is { } beat && IsGone(sweep.LocalSession, beat) ? sweep with { HeartbeatAt = null } : sweep;
    }

    /// <summary><paramref name="liveness"/> as stored, or without its heartbeat when its local run's process is known to be gone.</summary>
    public static SweepLiveness? Verify(SweepLiveness? liveness) =>
        liveness is { HeartbeatAt: { } beat } && IsGone(liveness.LocalSession, beat) ? liveness with { HeartbeatAt = null } : liveness;

    /// <summary>True only when <paramref name="session"/> names a process on this machine that cannot be the run that beat at <paramref name="heartbeat"/>.</summary>
    public static bool IsGone(string? session, DateTimeOffset heartbeat)
    {
        var colon = session?.LastIndexOf(':') ?? -1;
        if (session is null || colon <= 0
            || !string.Equals(session[..colon], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(session.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || process.StartTime.ToUniversalTime() > heartbeat.UtcDateTime + ClockSlack || !RunsGradDescent(pid, process);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // No such process (or it exited while we looked).
            return true;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or UnauthorizedAccessException or NotSupportedException)
        {
            // Present but not ours to inspect: trust the heartbeat.
            return false;
        }
    }

    /// <summary>The process is the CLI: the apphost <c>graddescent</c>, or <c>dotnet graddescent.dll</c>.</summary>
    private static bool RunsGradDescent(int pid, Process process)
    {
        if (process.ProcessName.Contains("graddescent", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var commandLine = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline";
        if (!File.Exists(commandLine))
        {
            // No process table to read the command line from (not Linux): a live process with that pid may be the run.
            return true;
        }

        try
        {
            return File.ReadAllText(commandLine).Contains("graddescent", StringComparison.OrdinalIgnoreCase);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
