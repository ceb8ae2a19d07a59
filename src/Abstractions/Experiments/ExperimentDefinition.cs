using System.Collections.Immutable;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Abstractions.Experiments;

/// <summary>
/// What an experiment is called, which parameters it takes and which metric ranks its trials.
/// Pure data: the command line, the sweep validator, the grains and the reports all read it
/// without loading any tensor code.
/// </summary>
public sealed record ExperimentDefinition
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required IReadOnlyList<ParameterDefinition> Parameters { get; init; }

    /// <summary>The final metric that ranks trials (e.g. <c>mse</c>), and which way is better.</summary>
    public required string PrimaryMetric { get; init; }

    public required MetricGoal Goal { get; init; }

    /// <summary>The per-step metric plotted against iteration (e.g. <c>loss</c>).</summary>
    public required string StepMetric { get; init; }

    /// <summary>
    /// The final metric that holds the true optimum of the trial's problem when it is known (the exact least-squares
    /// error, the best-known angle); convergence is measured against it. Null: the sweep's best stands in.
    /// </summary>
    public string? OptimumMetric { get; init; }

    /// <summary>
    /// Absolute difference of the primary metric below which two results count as equal, whatever their size
    /// (<see cref="ComparisonRules.EquivalenceMargin"/>); 0: only the relative margin applies.
    /// </summary>
    public double EquivalenceTolerance { get; init; }

    /// <summary>
    /// The parameters that define the problem instance rather than how it is solved (data set, sizes, image): reports
    /// compare contenders within each value of these, never across them.
    /// </summary>
    public IReadOnlyList<string> ProblemParameters { get; init; } = [];

    /// <summary>
    /// The parameters whose values enter the experiment's fusion key (trials that differ in one of them run in separate
    /// fused programs, at their own cost per trial). The control plane measures the cost per trial for each combination
    /// of their values and sizes leases from it (<see cref="CostKey"/>). Listing more than the fusion key uses is safe.
    /// </summary>
    public IReadOnlyList<string> FusionParameters { get; init; } = [];

    /// <summary>Whether a trial with these parameters depends on its seed; false: every repeat gives the same result.</summary>
    public Func<ParameterSet, bool> UsesSeed { get; init; } = static _ => true;

    /// <summary>What the seed does, in words (docs/experiments.md).</summary>
    public string SeedUse { get; init; } = "seeds the trial's random choices";
    /// Every final scalar metric a trial may report (<see cref="PrimaryMetric"/> among them); search
    /// objectives must name one of these. Some are reported only in some trials (see the experiment's docs).
    /// </summary>
    public IReadOnlyList<string> FinalMetrics { get; init; } = [];

    /// <summary>Every per-step series a trial reports (<see cref="StepMetric"/> among them).</summary>
    public IReadOnlyList<string> StepMetrics { get; init; } = [];

    /// <summary>
    /// Whether the experiment's fused program stops trials early as a lease's stopping plan says (ASHA, median
    /// stopping; docs/search.md). A spec with <c>early_stopping</c> is refused for an experiment that cannot.
    /// </summary>
    public bool SupportsEarlyStopping { get; init; }

    /// <summary>
    /// The kind of device this experiment runs best on (<see cref="Grains.DeviceKinds"/>): a sweep without
    /// <c>placement</c> goes to such workers while one takes its leases, and to any worker after the fallback wait
    /// (docs/sweep-spec.md, Placement).
    /// </summary>
    public string PreferredDevice { get; init; } = Grains.DeviceKinds.Cpu;

    /// <summary>The values of <see cref="FusionParameters"/> in <paramref name="parameters"/>: trials with equal keys cost alike.</summary>
    public string CostKey(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return string.Join('\u001f', FusionParameters.Select(name => parameters.GetTextOrNull(name) ?? string.Empty));
    }

    public ParameterDefinition? Find(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// Validates raw values (strings from the command line, scalars from YAML or JSON) and returns
    /// the canonical parameter set with defaults filled in.
    /// </summary>
    /// <exception cref="ParameterException">Unknown, missing, mistyped or out-of-range parameter.</exception>
    public ParameterSet Bind(IEnumerable<KeyValuePair<string, object?>> raw)
    {
        var values = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in raw)
        {
            var definition = Find(name) ?? throw new ParameterException(
                name, $"unknown parameter for experiment '{Name}' (known: {string.Join(", ", Parameters.Select(p => p.Name))})");
            if (values.ContainsKey(name))
            {
                throw new ParameterException(name, "given more than once");
            }

            values[name] = definition.Canonicalize(value);
        }

        // Plain defaults first, then the ones chosen by another parameter's (now bound) value.
        foreach (var definition in Parameters.OrderBy(p => p.DependentDefault is null ? 0 : 1))
        {
            if (values.ContainsKey(definition.Name))
            {
                continue;
            }

            if (definition.DependentDefault is { } dependent && Find(dependent.Controller) is not { DependentDefault: null })
            {
                throw new InvalidOperationException(
                    $"experiment '{Name}': the default of '{definition.Name}' depends on '{dependent.Controller}', which is not a parameter with a plain default");
            }

            if (definition.DefaultGiven(values) is { } fallback)
            {
                values[definition.Name] = fallback;
            }
            else if (definition.Required)
            {
                throw new ParameterException(definition.Name, "is required");
            }
        }

        return new ParameterSet(values.ToImmutable());
    }
}
