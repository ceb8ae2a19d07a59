namespace GradDescent.Silo.Cli;

/// <summary>Process exit codes of every command.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    /// <summary>The sweep a <c>run</c>, <c>resume</c> or <c>submit --wait</c> followed was cancelled (<c>graddescent cancel</c>).</summary>
    public const int Cancelled = 3;

    /// <summary>Interrupted by Ctrl-C or SIGTERM (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
