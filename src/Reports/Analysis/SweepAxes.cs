using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Sweeps;

namespace GradDescent.Reports.Analysis;

/// <summary>
/// Finds what a sweep varies: the parameters whose value differs between its stored configurations, ordered as the spec
/// lists them (grid axes, then random-search parameters), each with its role from the experiment's definition: a
/// problem parameter of <see cref="ExperimentDefinition.ProblemParameters"/> groups the comparison; a choice parameter
/// names contenders; anything else is tuned. When no choice parameter varies, the tuned parameters name the contenders
/// (a sweep over learning rates alone ranks learning rates). A parameter the spec leaves alone whose default follows a
/// swept parameter (<see cref="ParameterDefinition.DependentDefault"/>) is no axis.
/// </summary>
public static class SweepAxes
{
    /// <param name="definition">The sweep's experiment.</param>
    /// <param name="spec">The stored spec, or null when it no longer parses (then data order is used).</param>
    /// <param name="configurations">Each configuration's parameters (name → canonical text).</param>
    public static IReadOnlyList<SweptAxis> Find(ExperimentDefinition definition, SweepSpec? spec, IReadOnlyList<IReadOnlyDictionary<string, string>> configurations)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(configurations);
        var specOrder = new List<string>();
        var specValues = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (spec is not null)
        {
            foreach (var axis in spec.Grid.IsDefault ? [] : spec.Grid)
            {
                specOrder.Add(axis.Name);
                specValues[axis.Name] = [.. axis.Values];
            }

            foreach (var name in spec.Random?.Space.Select(d => d.Name) ?? [])
            {
                if (!specOrder.Contains(name, StringComparer.Ordinal))
                {
                    specOrder.Add(name);
                }
            }
        }

        var observed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var configuration in configurations)
        {
            foreach (var (name, value) in configuration)
            {
                if (!observed.TryGetValue(name, out var values))
                {
                    observed[name] = values = [];
                }

                if (!values.Contains(value, StringComparer.Ordinal))
                {
                    values.Add(value);
                }
            }
        }

        // A parameter absent from some configurations varies too ("—" stands for absent).
        foreach (var (name, values) in observed)
        {
            if (configurations.Any(c => !c.ContainsKey(name)) && !values.Contains(Absent, StringComparer.Ordinal))
            {
                values.Add(Absent);
            }
        }

        // A parameter the spec does not sweep whose default follows a swept one (vector spread's restarts follow its
        // method) varies only as a consequence: it is part of the contender, not an axis of its own.
        bool Follows(string name) =>
            !specOrder.Contains(name, StringComparer.Ordinal)
            && definition.Find(name)?.DependentDefault is { } dependent
            && observed.TryGetValue(dependent.Controller, out var controller) && controller.Count > 1;
        var varying = observed.Where(o => o.Value.Count > 1 && !Follows(o.Key)).Select(o => o.Key)
            .OrderBy(name => specOrder.IndexOf(name) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(name => name, StringComparer.Ordinal)
            .ToList();
        var axes = varying.Select(name =>
        {
            var parameter = definition.Find(name);
            var role = definition.ProblemParameters.Contains(name, StringComparer.Ordinal) || parameter?.Kind == ParameterKind.Path
                ? AxisRole.Problem
                : parameter?.Kind == ParameterKind.Choice ? AxisRole.Contender : AxisRole.Tuning;
            var numeric = parameter?.Kind is ParameterKind.Integer or ParameterKind.Real && !observed[name].Contains(Absent, StringComparer.Ordinal);
            return new SweptAxis(name, role, Ordered(observed[name], specValues.GetValueOrDefault(name), numeric), numeric);
        }).ToList();

        if (!axes.Any(a => a.Role == AxisRole.Contender))
        {
            axes = [.. axes.Select(a => a.Role == AxisRole.Tuning ? a with { Role = AxisRole.Contender } : a)];
        }

        return axes;
    }

    /// <summary>How a configuration without a value for an axis shows it.</summary>
    public const string Absent = "—";

    private static List<string> Ordered(List<string> observed, IReadOnlyList<string>? spec, bool numeric)
    {
        if (numeric)
        {
            return [.. observed.OrderBy(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
        }

        return [.. observed.OrderBy(v => spec is null ? int.MaxValue : spec.ToList().IndexOf(v) is var i and >= 0 ? i : int.MaxValue)];
    }
}
