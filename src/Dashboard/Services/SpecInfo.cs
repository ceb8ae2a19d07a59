using System.Globalization;
using GradDescent.Sweeps;
using GradDescent.Sweeps.Search;

namespace GradDescent.Dashboard.Services;

/// <summary>What the dashboard reads from a stored spec: its description, the parameters it sweeps and what it optimises.</summary>
/// <param name="Description">The spec's description, or null.</param>
/// <param name="Swept">Swept parameters in spec order (grid axes, random or search dimensions), each with whether its values are log-spaced.</param>
/// <param name="Objectives">A search sweep's objectives (<c>objectives:</c>, docs/search.md); empty for other sweeps.</param>
public sealed record SpecInfo(string? Description, IReadOnlyList<SweptParameter> Swept, IReadOnlyList<SweepObjective> Objectives)
{
    /// <summary>Two or more objectives: the sweep's answer is a Pareto front, not one best trial.</summary>
    public bool IsMultiObjective => Objectives.Count > 1;

    public static SpecInfo From(SweepSpec spec)
    {
        var swept = new List<SweptParameter>();
        foreach (var axis in spec.Grid.IsDefault ? [] : spec.Grid)
        {
            swept.Add(new SweptParameter(axis.Name, IsLogSpaced(axis.Values)));
        }

        foreach (var dimension in (spec.Random?.Space ?? []).Concat(spec.Search is { } search ? search.Space.Select(d => d.Draw) : []))
        {
            if (swept.All(s => s.Name != dimension.Name))
            {
                swept.Add(new SweptParameter(dimension.Name, dimension.Distribution == RandomDistribution.LogUniform));
            }
        }

        return new SpecInfo(spec.Description, swept, spec.Search is { } s ? [.. s.Objectives] : []);
    }

    /// <summary>Positive numbers spanning two decades or more, evenly spaced in the logarithm (a {log: ...} grid, or a hand-written one like it).</summary>
    private static bool IsLogSpaced(IReadOnlyList<string> values)
    {
        var numbers = new List<double>();
        foreach (var value in values)
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
            {
                return false;
            }

            numbers.Add(number);
        }

        numbers.Sort();
        return numbers.Count >= 3 && numbers[^1] / numbers[0] >= 100;
    }
}

/// <summary>A parameter a sweep varies; <paramref name="Log"/> when a chart axis for it should be logarithmic.</summary>
public sealed record SweptParameter(string Name, bool Log);
