using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// Reads <c>search.space</c>: per parameter one distribution of <c>random.space</c> (read by
/// <see cref="RandomReader"/>, so the two agree on every rule), optionally <c>when</c> (conditions on
/// earlier choice dimensions) and, for the grid algorithm, <c>count</c>.
/// </summary>
internal sealed class SearchSpaceReader(SpecReader reader, ExperimentDefinition experiment, SweepSpecLimits limits)
{
    private const string Path = "search.space";

    private static readonly string[] DistributionKeys = ["uniform", "log_uniform", "int_uniform", "choice"];

    private static readonly string[] EntryKeys = [.. DistributionKeys, "when", "count"];

    private readonly RandomReader distributions = new(reader, experiment, limits);

    public ImmutableArray<SearchDimension>? Read(YamlNode node, IReadOnlySet<string> fixedNames, SearchAlgorithm algorithm)
    {
        var entries = reader.Entries(node, Path);
        if (entries is null)
        {
            return null;
        }

        if (entries.Count == 0)
        {
            reader.Diagnostics.Add(node, Path, "empty space: name at least one parameter to search");
            return null;
        }

        var dimensions = new List<SearchDimension>(entries.Count);
        var valid = true;
        foreach (var (name, keyNode, value) in entries)
        {
            var path = SpecReader.Join(Path, name);
            var definition = experiment.Find(name);
            SearchDimension? dimension = null;
            if (definition is null)
            {
                reader.Diagnostics.Add(keyNode, path, SpecReader.UnknownParameter(experiment));
            }
            else if (fixedNames.Contains(name))
            {
                reader.Diagnostics.Add(keyNode, path, "is both fixed under parameters and searched under search.space: keep one");
            }
            else
            {
                dimension = ReadDimension(definition, keyNode, value, path, dimensions, algorithm);
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

        return valid ? [.. dimensions] : null;
    }

    private SearchDimension? ReadDimension(
        ParameterDefinition definition, YamlScalarNode keyNode, YamlNode node, string path, List<SearchDimension> earlier, SearchAlgorithm algorithm)
    {
        if (node is not YamlMappingNode)
        {
            reader.Diagnostics.Add(node, path, $"expected a distribution such as {{log_uniform: [1.0e-5, 1.0]}}, optionally with when: and count:, got {YamlScalar.Describe(node)}");
            return null;
        }

        var entries = reader.Entries(node, path, EntryKeys);
        if (entries is null || entries.Count != ((YamlMappingNode)node).Children.Count)
        {
            return null;
        }

        var kinds = entries.Where(e => DistributionKeys.Contains(e.Key)).ToList();
        if (kinds.Count != 1)
        {
            reader.Diagnostics.Add(node, path, $"name exactly one distribution ({string.Join(", ", DistributionKeys)})");
            return null;
        }

        var (kind, kindKey, value) = kinds[0];
        var kindPath = SpecReader.Join(path, kind);
        var draw = kind switch
        {
            "choice" => distributions.ReadChoice(definition, value, kindPath),
            "int_uniform" => distributions.ReadRange(definition, RandomDistribution.IntUniform, kindKey, value, kindPath),
            "log_uniform" => distributions.ReadRange(definition, RandomDistribution.LogUniform, kindKey, value, kindPath),
            _ => distributions.ReadRange(definition, RandomDistribution.Uniform, kindKey, value, kindPath),
        };

        var countEntry = entries.FirstOrDefault(e => e.Key == "count");
        var whenEntry = entries.FirstOrDefault(e => e.Key == "when");
        var count = countEntry.Value is null ? null : ReadCount(countEntry.KeyNode, countEntry.Value, SpecReader.Join(path, "count"), kind, algorithm);
        var when = whenEntry.Value is null ? [] : ReadWhen(whenEntry.Value, SpecReader.Join(path, "when"), earlier);
        if (draw is null || (countEntry.Value is not null && count is null) || when is null)
        {
            return null;
        }

        if (algorithm == SearchAlgorithm.Grid && count is null && draw.Distribution is RandomDistribution.Uniform or RandomDistribution.LogUniform)
        {
            reader.Diagnostics.Add(kindKey, kindPath, $"the grid algorithm needs count: n here (how many evenly spaced values of {kind} to take)");
            return null;
        }

        if (algorithm == SearchAlgorithm.Grid && draw.Distribution == RandomDistribution.IntUniform && draw.High - draw.Low + 1 > limits.MaxTrials)
        {
            reader.Diagnostics.Add(kindKey, kindPath, $"the grid algorithm would take all {draw.High - draw.Low + 1:0} integers, more than the trial limit");
            return null;
        }

        return new SearchDimension(draw, count, when.Value);
    }

    private int? ReadCount(YamlScalarNode keyNode, YamlNode node, string path, string kind, SearchAlgorithm algorithm)
    {
        if (algorithm != SearchAlgorithm.Grid)
        {
            reader.Diagnostics.Add(keyNode, path, "count applies to the grid algorithm only (the others draw from the whole range)");
            return null;
        }

        if (kind is not ("uniform" or "log_uniform"))
        {
            reader.Diagnostics.Add(keyNode, path, $"count applies to uniform and log_uniform only (the grid takes every value of {kind})");
            return null;
        }

        return (int?)reader.Integer(node, path, 1, Math.Min(limits.MaxTrials, int.MaxValue));
    }

    /// <summary><c>when: {optimizer: [momentum, nesterov]}</c>: every named parameter must be an earlier choice dimension.</summary>
    private ImmutableArray<SearchCondition>? ReadWhen(YamlNode node, string path, List<SearchDimension> earlier)
    {
        var entries = reader.Entries(node, path);
        if (entries is null)
        {
            return null;
        }

        if (entries.Count == 0)
        {
            reader.Diagnostics.Add(node, path, "empty condition: name a choice parameter and its values, e.g. {optimizer: [momentum]}");
            return null;
        }

        var conditions = ImmutableArray.CreateBuilder<SearchCondition>(entries.Count);
        var valid = true;
        foreach (var (parent, keyNode, value) in entries)
        {
            var condition = ReadCondition(parent, keyNode, value, SpecReader.Join(path, parent), earlier);
            if (condition is null)
            {
                valid = false;
            }
            else
            {
                conditions.Add(condition);
            }
        }

        return valid ? conditions.ToImmutable() : null;
    }

    private SearchCondition? ReadCondition(string parent, YamlScalarNode keyNode, YamlNode value, string path, List<SearchDimension> earlier)
    {
        var dimension = earlier.FirstOrDefault(d => d.Name == parent);
        if (dimension is null)
        {
            reader.Diagnostics.Add(keyNode, path, $"'{parent}' is not a parameter listed before this one in search.space (a condition names an earlier choice dimension)");
            return null;
        }

        if (dimension.Draw.Distribution != RandomDistribution.Choice)
        {
            reader.Diagnostics.Add(keyNode, path, $"'{parent}' is a {dimension.Draw.Distribution switch { RandomDistribution.IntUniform => "int_uniform", RandomDistribution.LogUniform => "log_uniform", _ => "uniform" }} dimension: conditions name choice dimensions");
            return null;
        }

        var items = value switch
        {
            YamlSequenceNode { Children.Count: > 0 } list => list.Children.ToList(),
            YamlScalarNode scalar => [scalar],
            _ => null,
        };
        if (items is null)
        {
            reader.Diagnostics.Add(value, path, $"expected a non-empty list of {parent}'s choices, got {YamlScalar.Describe(value)}");
            return null;
        }

        var definition = experiment.Find(parent)!;
        var values = ImmutableArray.CreateBuilder<string>(items.Count);
        foreach (var item in items)
        {
            var canonical = reader.Canonical(definition, item, path);
            if (canonical is null)
            {
                return null;
            }

            if (!dimension.Draw.Choices.Contains(canonical, StringComparer.Ordinal))
            {
                reader.Diagnostics.Add(item, path, $"'{canonical}' is not one of {parent}'s choices in search.space ({string.Join(", ", dimension.Draw.Choices)})");
                return null;
            }

            if (values.Contains(canonical))
            {
                reader.Diagnostics.Add(item, path, $"value '{canonical}' is listed twice");
                return null;
            }

            values.Add(canonical);
        }

        return new SearchCondition(parent, values.ToImmutable());
    }
}
