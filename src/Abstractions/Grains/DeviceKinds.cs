namespace GradDescent.Abstractions.Grains;

/// <summary>The kinds of device a worker computes on, as placement and experiment preferences name them.</summary>
public static class DeviceKinds
{
    public const string Cpu = "cpu";

    public const string Cuda = "cuda";

    public static IReadOnlyList<string> All { get; } = [Cpu, Cuda];

    /// <summary>The kind of a worker's device as it advertises it: <c>cuda:1</c> → <c>cuda</c>.</summary>
    public static string Of(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var colon = device.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? device : device[..colon]).Trim().ToLowerInvariant();
    }
}
