using GradDescent.Workers.Experiments;

namespace GradDescent.Workers.Runtime;

/// <summary>The experiments this worker can run, by name.</summary>
public sealed class ExperimentRegistry(IEnumerable<IExperiment> experiments)
{
    private readonly Dictionary<string, IExperiment> byName = experiments.ToDictionary(e => e.Definition.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => byName.Keys;

    /// <exception cref="ArgumentException">This worker has no experiment of that name.</exception>
    public IExperiment Get(string name) =>
        byName.TryGetValue(name, out var experiment)
            ? experiment
            : throw new ArgumentException($"unknown experiment '{name}' (known: {string.Join(", ", byName.Keys)})", nameof(name));
}
