namespace GradDescent.Abstractions.Grains;

/// <summary>
/// What the dispatcher needs to choose workers for a running sweep: the spec's hard <see cref="Placement"/>, or without
/// one, the device its experiment runs best on (<see cref="Experiments.ExperimentDefinition.PreferredDevice"/>), which
/// other workers get only after <c>GradDescent:Sweeps:PlacementFallback</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SweepRoute(
    [property: Id(0)] SweepPlacement? Placement,
    [property: Id(1)] string PreferredDevice)
{
    /// <summary>A sweep whose spec could not be read: any worker, no preference (its grain fails it on load).</summary>
    public static SweepRoute Anywhere { get; } = new(null, DeviceKinds.Cpu);
}
