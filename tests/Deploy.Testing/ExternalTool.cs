using System.ComponentModel;
using System.Diagnostics;

namespace GradDescent.Deploy.Testing;

/// <summary>What a finished external program printed and returned.</summary>
public sealed record ToolResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public string Output => $"$ {Command}\n(exit code {ExitCode})\n{StandardOutput}{StandardError}";
}

/// <summary>Runs command-line tools the deployment tests need (kubectl, promtool, node).</summary>
public static class ExternalTool
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs <paramref name="program"/> to completion and returns its exit code and output; throws when the
    /// program is not installed (the message says how to install it) or runs past <paramref name="timeout"/>.
    /// </summary>
    public static ToolResult Run(string program, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryLayout.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var command = $"{program} {string.Join(' ', start.ArgumentList)}";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed or not on PATH ({e.Message}). {InstallHint(program)}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? DefaultTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{command} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:0} s");
            }

            process.WaitForExit();
            return new ToolResult(command, process.ExitCode, output.Result, error.Result);
        }
    }

    private static string InstallHint(string program) => program switch
    {
        "kubectl" => "Rendering needs kubectl with kustomize v4 or later (the CI machine image has one; Debian's kubernetes-client 1.20 is too old for kustomize components). tests/run-tests.sh checks for it.",
        "promtool" => "Install Debian's prometheus package (apt-get install prometheus); tests/run-tests.sh does when run as root.",
        "node" => "Install Node.js; tests/run-tests.sh runs npm ci in deploy/docker for the Dockerfile linter.",
        _ => string.Empty,
    };
}
