using System.Globalization;
using GradDescent.Sweeps;

namespace GradDescent.Dashboard.Services;

/// <summary>What the dashboard reads from a stored spec: its description and the parameters it sweeps.</summary>
/// <param name="Description">The spec's description, or null.</param>
/// <param name="Swept">Swept parameters in spec order, each with whether its values are log-spaced.</param>
public sealed record SpecInfo(string? Description, IReadOnlyList<SweptParameter> Swept)
{
    public static SpecInfo From(SweepSpec spec)
    {
        var swept = new List<SweptParameter>();
        foreach (var axis in spec.Grid.IsDefault ? [] : spec.Grid)
        {
            swept.Add(new SweptParameter(axis.Name, IsLogSpaced(axis.Values)));
        }

        foreach (var dimension in spec.Random?.Space ?? [])
        {
            if (swept.All(s => s.Name != dimension.Name))
            {
                swept.Add(new SweptParameter(dimension.Name, dimension.Distribution == RandomDistribution.LogUniform));
            }
        }

        return new SpecInfo(spec.Description, swept);
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
