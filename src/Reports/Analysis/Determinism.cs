namespace GradDescent.Reports.Analysis;

/// <summary>Whether repeating a configuration with other seeds changed anything.</summary>
/// <param name="Repeats">Seeds per configuration (the most any configuration has).</param>
/// <param name="SeedUnused">The experiment ignores the seed for every configuration of the sweep (<see cref="Abstractions.Experiments.ExperimentDefinition.UsesSeed"/>).</param>
/// <param name="SeedsIdentical">Every configuration with two or more completed seeds gave one value; null when none has two.</param>
public sealed record Determinism(int Repeats, bool SeedUnused, bool? SeedsIdentical)
{
    /// <summary>
    /// The results do not depend on the seed: seen in every repeated configuration, or (with no repeats to look at) known
    /// from the definition. What the stored values show wins over what the definition says.
    /// </summary>
    public bool Deterministic => SeedsIdentical ?? SeedUnused;

    /// <summary>The sweep repeated configurations that give the same result every time: the repeats added nothing.</summary>
    public bool WastedRepeats => Repeats > 1 && Deterministic;
}
