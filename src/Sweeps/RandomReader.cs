using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps;

/// <summary>
/// Reads the <c>random</c> section: <c>samples</c> and a <c>space</c> whose parameters are drawn
/// from <c>uniform</c>, <c>log_uniform</c>, <c>int_uniform</c> or <c>choice</c>.
/// </summary>
internal sealed class RandomReader(SpecReader reader, ExperimentDefinition experiment, SweepSpecLimits limits)
{
    private const string Section = "random";

    private static readonly string[] SectionKeys = ["samples", "space"];

    private static readonly string[] DistributionKeys = ["uniform", "log_uniform", "int_uniform", "choice"];

    public SweepRandom? Read(YamlNode node, IReadOnlySet<string> fixedNames)
    {
        var entries = reader.Entries(node, Section, SectionKeys);
        if (entries is null)
        {
            return null;
        }

        var samplesEntry = entries.FirstOrDefault(e => e.Key == "samples");
        var spaceEntry = entries.FirstOrDefault(e => e.Key == "space");
        if (samplesEntry.Value is null || spaceEntry.Value is null)
        {
            reader.Diagnostics.Add(node, Section, "needs both samples (how many points to draw) and space (what to draw them from)");
            return null;
        }

        var samples = reader.Integer(samplesEntry.Value, $"{Section}.samples", 1, Math.Min(limits.MaxTrials, int.MaxValue));
        var space = ReadSpace(spaceEntry.Value, fixedNames);
        return samples is null || space is null ? null : new SweepRandom((int)samples.Value, space.Value);
    }

    private ImmutableArray<RandomDimension>? ReadSpace(YamlNode node, IReadOnlySet<string> fixedNames)
    {
        const string path = $"{Section}.space";
        var entries = reader.Entries(node, path);
        if (entries is null)
        {
            return null;
        }

        if (entries.Count == 0)
        {
            reader.Diagnostics.Add(node, path, "empty space: name at least one parameter to draw");
            return null;
        }

        var dimensions = ImmutableArray.CreateBuilder<RandomDimension>(entries.Count);
        var valid = true;
        foreach (var (name, keyNode, value) in entries)
        {
            var dimensionPath = SpecReader.Join(path, name);
            var definition = experiment.Find(name);
            RandomDimension? dimension = null;
            if (definition is null)
            {
                reader.Diagnostics.Add(keyNode, dimensionPath, SpecReader.UnknownParameter(experiment));
            }
            else if (fixedNames.Contains(name))
            {
                reader.Diagnostics.Add(keyNode, dimensionPath, "is both fixed under parameters and drawn under random.space: keep one");
            }
            else
            {
                dimension = ReadDimension(definition, value, dimensionPath);
            }

            if (dimension is null)
            {
                valid = false;
            }
            else
            {
                dimensions.Add(dimension);
            }
        }

        return valid ? dimensions.ToImmutable() : null;
    }

    private RandomDimension? ReadDimension(ParameterDefinition definition, YamlNode node, string path)
    {
        if (node is YamlMappingNode { Children.Count: not 1 })
        {
            reader.Diagnostics.Add(node, path, $"name exactly one distribution ({string.Join(", ", DistributionKeys)})");
            return null;
        }

        var entries = reader.Entries(node, path, DistributionKeys);
        if (entries is not [_])
        {
            return null;
        }

        var (kind, keyNode, value) = entries[0];
        var kindPath = SpecReader.Join(path, kind);
        return kind switch
        {
            "choice" => ReadChoice(definition, value, kindPath),
            "int_uniform" => ReadRange(definition, RandomDistribution.IntUniform, keyNode, value, kindPath),
            "log_uniform" => ReadRange(definition, RandomDistribution.LogUniform, keyNode, value, kindPath),
            _ => ReadRange(definition, RandomDistribution.Uniform, keyNode, value, kindPath),
        };
    }

    internal RandomDimension? ReadChoice(ParameterDefinition definition, YamlNode node, string path)
    {
        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            reader.Diagnostics.Add(node, path, $"expected a non-empty list of values, got {YamlScalar.Describe(node)}");
            return null;
        }

        return reader.DistinctCanonicals(definition, list, path) is { } choices
            ? new RandomDimension(definition.Name, RandomDistribution.Choice, 0, 0, choices)
            : null;
    }

    internal RandomDimension? ReadRange(ParameterDefinition definition, RandomDistribution distribution, YamlNode keyNode, YamlNode node, string path)
    {
        var wanted = distribution == RandomDistribution.IntUniform ? "an integer or real" : "a real";
        var fits = distribution == RandomDistribution.IntUniform
            ? definition.Kind is ParameterKind.Integer or ParameterKind.Real
            : definition.Kind is ParameterKind.Real;
        if (!fits)
        {
            var hint = definition.Kind == ParameterKind.Integer ? "use int_uniform" : "use choice";
            reader.Diagnostics.Add(keyNode, path, $"needs {wanted} parameter, and '{definition.Name}' is {SpecReader.KindName(definition.Kind)}: {hint}");
            return null;
        }

        if (reader.Pair(node, path) is not var (lowNode, highNode))
        {
            return null;
        }

        double? low, high;
        long? integerLow = null, integerHigh = null;
        if (distribution == RandomDistribution.IntUniform)
        {
            integerLow = reader.Integer(lowNode, path, long.MinValue);
            integerHigh = reader.Integer(highNode, path, long.MinValue);
            (low, high) = (integerLow, integerHigh);
        }
        else
        {
            low = reader.Number(lowNode, path);
            high = reader.Number(highNode, path);
        }

        // Both bounds must be valid values themselves: every draw lies between them.
        var lowText = low is null ? null : reader.Canonical(definition, lowNode, path);
        var highText = high is null ? null : reader.Canonical(definition, highNode, path);
        if (lowText is null || highText is null)
        {
            return null;
        }

        if (distribution == RandomDistribution.LogUniform && low <= 0)
        {
            reader.Diagnostics.Add(lowNode, path, "log_uniform bounds must both be positive");
            return null;
        }

        if (distribution == RandomDistribution.IntUniform ? integerLow > integerHigh : low >= high)
        {
            reader.Diagnostics.Add(highNode, path, $"the upper bound must be {(distribution == RandomDistribution.IntUniform ? "at least" : "greater than")} the lower bound");
            return null;
        }

        return new RandomDimension(definition.Name, distribution, low!.Value, high!.Value, [])
        {
            IntegerLow = integerLow ?? 0,
            IntegerHigh = integerHigh ?? 0,
        };
    }
}
