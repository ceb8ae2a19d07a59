namespace GradDescent.Silo.Cli;

/// <summary>Process exit codes of every command.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    /// <summary>Interrupted by Ctrl-C or SIGTERM (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
