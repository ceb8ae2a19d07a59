namespace GradDescent.Abstractions.Grains;

/// <summary>
/// A control-plane call failed on the silo for a reason the caller cannot fix by waiting. Grains never let their own
/// exceptions (a database driver's, which Orleans cannot serialise) cross to a caller: a store that stays unreachable
/// becomes <see cref="Storage.StoreUnavailableException"/> ("retry later"), anything else this, with the original
/// type and message in <see cref="Exception.Message"/>.
/// </summary>
[GenerateSerializer]
public sealed class ControlPlaneException : Exception
{
    public ControlPlaneException()
        : base("the control plane failed")
    {
    }

    public ControlPlaneException(string message)
        : base(message)
    {
    }

    public ControlPlaneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
