namespace GradDescent.Abstractions.Experiments;

/// <summary>The experiments GradDescent runs, by name.</summary>
public static class ExperimentCatalog
{
    public static IReadOnlyList<ExperimentDefinition> All { get; } =
        [LinearRegressionDefinition.Instance, VectorSpreadDefinition.Instance, AdversarialDefinition.Instance];

    public static ExperimentDefinition? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    /// <exception cref="ArgumentException">No experiment has that name.</exception>
    public static ExperimentDefinition Get(string name) =>
        Find(name) ?? throw new ArgumentException(
            $"unknown experiment '{name}' (known: {string.Join(", ", All.Select(e => e.Name))})", nameof(name));
}
