namespace GradDescent.Silo.Cli;

/// <summary>What a command does once parsed: resolved from the command's host, with its input and services injected.</summary>
public interface ICommandHandler
{
    /// <returns>The process exit code (<see cref="ExitCodes"/>).</returns>
    Task<int> RunAsync(CancellationToken cancellationToken);
}
