namespace GradDescent.Silo.Cli;

/// <summary>Bad input on the command line or in a file it names: exit code 2, message on stderr.</summary>
public sealed class UsageException(string message) : Exception(message);
