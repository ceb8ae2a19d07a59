using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps;

/// <summary>
/// Reads the <c>grid</c> section: each key a parameter, each value a list of scalars or a
/// <c>log</c>/<c>linear</c> generator, expanded here to its canonical values.
/// </summary>
internal sealed class GridReader(SpecReader reader, ExperimentDefinition experiment, SweepSpecLimits limits)
{
    private const string Section = "grid";

    private static readonly string[] GeneratorKeys = [GridGenerator.Log, GridGenerator.Linear, "count"];

    public ImmutableArray<SweepAxis> Read(YamlNode node, IReadOnlySet<string> fixedNames)
    {
        if (node is YamlScalarNode scalar && YamlScalar.Resolve(scalar) is null)
        {
            return [];
        }

        var entries = reader.Entries(node, Section);
        if (entries is null)
        {
            return [];
        }

        var axes = ImmutableArray.CreateBuilder<SweepAxis>(entries.Count);
        var points = 1L;
        foreach (var (name, keyNode, value) in entries)
        {
            var path = SpecReader.Join(Section, name);
            var definition = experiment.Find(name);
            if (definition is null)
            {
                reader.Diagnostics.Add(keyNode, path, SpecReader.UnknownParameter(experiment));
                continue;
            }

            if (fixedNames.Contains(name))
            {
                reader.Diagnostics.Add(keyNode, path, "is both fixed under parameters and swept under grid: keep one");
                continue;
            }

            var values = value switch
            {
                YamlSequenceNode list => ReadList(definition, list, path),
                YamlMappingNode generator => ReadGenerator(definition, generator, path, points, axes),
                _ => NotAnAxis(value, path),
            };
            if (values is not null)
            {
                axes.Add(new SweepAxis(name, values.Value));
                points = SaturatingMath.Multiply(points, values.Value.Length);
            }
        }

        return axes.ToImmutable();
    }

    private ImmutableArray<string>? ReadList(ParameterDefinition definition, YamlSequenceNode list, string path)
    {
        if (list.Children.Count == 0)
        {
            reader.Diagnostics.Add(list, path, "empty axis: list at least one value");
            return null;
        }

        return reader.DistinctCanonicals(definition, list, path);
    }

    /// <param name="points">Grid points of the axes before this one.</param>
    /// <param name="before">The axes before this one (named when the grid would be too large).</param>
    private ImmutableArray<string>? ReadGenerator(
        ParameterDefinition definition, YamlMappingNode node, string path, long points, ImmutableArray<SweepAxis>.Builder before)
    {
        var entries = reader.Entries(node, path, GeneratorKeys);
        if (entries is null || entries.Count != node.Children.Count)
        {
            // Unknown keys are reported already.
            return null;
        }

        var kinds = entries.Where(e => e.Key != "count").ToList();
        var count = entries.FirstOrDefault(e => e.Key == "count");
        if (kinds.Count != 1 || count.Value is null)
        {
            reader.Diagnostics.Add(node, path, "a generator is {log: [low, high], count: n} or {linear: [low, high], count: n}");
            return null;
        }

        var (kind, kindKey, boundsNode) = kinds[0];
        var kindPath = SpecReader.Join(path, kind);
        if (definition.Kind is not (ParameterKind.Integer or ParameterKind.Real))
        {
            reader.Diagnostics.Add(kindKey, kindPath, $"a {kind} generator needs a numeric parameter, and '{definition.Name}' is {SpecReader.KindName(definition.Kind)}: list its values instead");
            return null;
        }

        var n = reader.Integer(count.Value, SpecReader.Join(path, "count"), 1, Math.Min(limits.MaxTrials, int.MaxValue));
        var bounds = reader.Pair(boundsNode, kindPath);
        if (n is null || bounds is null)
        {
            return null;
        }

        // Expanding a generator costs memory per value: a count that already makes the grid too large is not expanded.
        if (SaturatingMath.Multiply(points, n.Value) > limits.MaxTrials)
        {
            var axes = string.Join(" × ", before.Select(a => $"{a.Name} {a.Values.Length}").Append($"{definition.Name} {n.Value}"));
            reader.Diagnostics.Add(count.Value, SpecReader.Join(path, "count"), $"makes the grid more than the limit of {limits.MaxTrials} trials ({axes})");
            return null;
        }

        var (lowNode, highNode) = bounds.Value;
        var low = reader.Number(lowNode, kindPath);
        var high = reader.Number(highNode, kindPath);
        if (low is null || high is null)
        {
            return null;
        }

        if (kind == GridGenerator.Log && (low <= 0 || high <= 0))
        {
            reader.Diagnostics.Add(low <= 0 ? lowNode : highNode, kindPath, "log bounds must both be positive");
            return null;
        }

        // Both bounds must be valid values themselves; every generated value lies between them.
        var lowText = reader.Canonical(definition, lowNode, kindPath);
        var highText = reader.Canonical(definition, highNode, kindPath);
        if (lowText is null || highText is null)
        {
            return null;
        }

        return Expand(definition, node, kindPath, GridGenerator.Generate(kind, low.Value, high.Value, (int)n.Value));
    }

    private ImmutableArray<string>? Expand(ParameterDefinition definition, YamlNode node, string path, double[] generated)
    {
        // Integer parameters: each value rounds to the nearest integer and repeats are dropped.
        var values = ImmutableArray.CreateBuilder<string>(generated.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in generated)
        {
            var raw = definition.Kind == ParameterKind.Integer ? Math.Round(value, MidpointRounding.AwayFromZero) : value;
            string canonical;
            try
            {
                canonical = definition.Canonicalize(raw);
            }
            catch (ParameterException ex)
            {
                reader.Diagnostics.Add(node, path, ex.Problem);
                return null;
            }

            if (seen.Add(canonical))
            {
                values.Add(canonical);
            }
        }

        return values.ToImmutable();
    }

    private ImmutableArray<string>? NotAnAxis(YamlNode value, string path)
    {
        reader.Diagnostics.Add(value, path, $"expected a list of values or a generator {{log: [low, high], count: n}} / {{linear: [low, high], count: n}}, got {YamlScalar.Describe(value)} (a single fixed value belongs under parameters)");
        return null;
    }
}
