namespace GradDescent.Workers.Runtime;

/// <summary>
/// Whether the worker's last call to the control plane (lease, heartbeat, completion) got an answer:
/// the worker's readiness. Starts not connected, until the first answer.
/// </summary>
public sealed class ControlPlaneConnection
{
    private volatile string? problem = "no answer from a silo yet";

    /// <summary>Null while connected; otherwise why not.</summary>
    public string? Problem => problem;

    public void Answered() => problem = null;

    public void Failed(Exception? exception) =>
        problem = exception is null ? "the last call to the silo failed" : $"the last call to the silo failed: {exception.GetType().Name}: {exception.Message}";
}
