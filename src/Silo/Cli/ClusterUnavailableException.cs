namespace GradDescent.Silo.Cli;

/// <summary>A control silo was needed and did not answer: exit code 1, the message on stderr, no stack trace.</summary>
public sealed class ClusterUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
