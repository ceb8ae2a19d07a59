namespace GradDescent.Storage;

/// <summary>Thrown when a sweep is created with an id that is already stored.</summary>
public sealed class SweepAlreadyExistsException : InvalidOperationException
{
    public SweepAlreadyExistsException(string sweepId)
        : base($"a sweep with id '{sweepId}' already exists")
    {
        SweepId = sweepId;
    }

    public SweepAlreadyExistsException()
        : this(string.Empty)
    {
    }

    public SweepAlreadyExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
        SweepId = string.Empty;
    }

    public string SweepId { get; }
}
