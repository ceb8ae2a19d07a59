using System.Collections.Immutable;
using System.Text.RegularExpressions;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Sweeps.Search;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps;

/// <summary>
/// Reads and validates a sweep spec (YAML, or JSON, which YAML's parser also reads). Every problem
/// in the file is reported in one <see cref="SweepSpecException"/>, in document order, each with
/// its file, line, column and key path. docs/sweep-spec.md describes the format.
/// </summary>
public static partial class SweepSpecParser
{
    private const int DefaultRepeats = 1;
    private const int DefaultMaxAttempts = 3;
    private const int MaxMaxAttempts = 100;

    private static readonly string[] TopLevelKeys =
        ["name", "description", "experiment", "parameters", "grid", "random", "repeats", "seed", "max_attempts", "batch_size", .. SearchSections.Keys, PlacementReader.Section];

    /// <summary>
    /// Reads a spec file; the path as given names the file in error messages. Only a regular file no larger than
    /// <see cref="SweepSpecLimits.MaxSpecBytes"/> is read (a FIFO or a device is refused before it is opened).
    /// </summary>
    /// <exception cref="SweepSpecException">The file is missing, unreadable, too large, malformed or invalid.</exception>
    public static SweepSpec ParseFile(string path, SweepSpecLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        limits ??= SweepSpecLimits.Default;
        return Parse(SpecFileReader.Read(path, limits.MaxSpecBytes), path, limits);
    }

    /// <summary>Parses and validates spec text.</summary>
    /// <param name="text">YAML or JSON.</param>
    /// <param name="sourceName">Names the source in error messages (usually the file path).</param>
    /// <param name="limits">Validation limits; null for <see cref="SweepSpecLimits.Default"/>.</param>
    /// <exception cref="SweepSpecException">The text is malformed or invalid.</exception>
    public static SweepSpec Parse(string text, string sourceName, SweepSpecLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        limits ??= SweepSpecLimits.Default;
        SpecText.CheckSize(text, sourceName, limits.MaxSpecBytes);
        var diagnostics = new SpecDiagnostics(sourceName, limits.MaxErrors);
        SpecText.CheckCharacters(text, diagnostics);
        diagnostics.ThrowIfAny();
        var reader = new SpecReader(diagnostics, limits.Files);

        var root = Load(text, diagnostics, limits.MaxDepth);
        diagnostics.ThrowIfAny();
        var entries = reader.Entries(root, string.Empty, TopLevelKeys);
        diagnostics.ThrowIfAny();
        var top = entries!.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

        var name = Required(reader, root, top, "name") is { } nameNode ? ReadName(reader, nameNode) : null;
        var description = top.TryGetValue("description", out var descriptionNode) ? reader.Text(descriptionNode, "description") : null;
        var experiment = Required(reader, root, top, "experiment") is { } experimentNode ? ReadExperiment(reader, experimentNode) : null;
        var repeats = Optional(top, "repeats", node => reader.Integer(node, "repeats", 1, int.MaxValue), DefaultRepeats);
        var seed = Optional(top, "seed", node => reader.Integer(node, "seed", long.MinValue), 0);
        var maxAttempts = Optional(top, "max_attempts", node => reader.Integer(node, "max_attempts", 1, MaxMaxAttempts), DefaultMaxAttempts);
        long? batchSize = top.TryGetValue("batch_size", out var batchNode) ? reader.Integer(batchNode, "batch_size", 1, int.MaxValue) : null;
        var placement = top.TryGetValue(PlacementReader.Section, out var placementNode) ? PlacementReader.Read(reader, placementNode) : null;

        if (experiment is null)
        {
            // Without the experiment no parameter can be checked; report what is known.
            throw diagnostics.ToException();
        }

        var parameters = top.TryGetValue("parameters", out var parametersNode)
            ? ReadParameters(reader, experiment, parametersNode)
            : ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        var fixedNames = parameters.Keys.ToHashSet(StringComparer.Ordinal);
        var grid = top.TryGetValue("grid", out var gridNode)
            ? new GridReader(reader, experiment, limits).Read(gridNode, fixedNames)
            : [];
        var random = top.TryGetValue("random", out var randomNode)
            ? new RandomReader(reader, experiment, limits).Read(randomNode, fixedNames)
            : null;

        // search, early_stopping and objectives (docs/search.md): read and cross-checked in Search/.
        var search = SearchSections.Read(reader, experiment, limits, root, top, parameters, seed ?? 0, repeats);
        diagnostics.ThrowIfAny();

        var spec = new SweepSpec(
            name!, description, experiment.Name, parameters, grid, random, (int)repeats!.Value, seed!.Value,
            (int)maxAttempts!.Value, (int?)batchSize, sourceName, text) { Search = search, Placement = placement };
        if (spec.TotalTrials > limits.MaxTrials)
        {
            diagnostics.Add(root, string.Empty, $"expands to {Count(spec.TotalTrials)} trials ({GridDescription(spec)} + {spec.Random?.Samples ?? 0} random samples, × {spec.Repeats} repeats), more than the limit of {Count(limits.MaxTrials)}");
            throw diagnostics.ToException();
        }

        CheckBindable(spec, experiment, diagnostics, root);
        diagnostics.ThrowIfAny();
        return spec;
    }

    private static YamlNode Load(string text, SpecDiagnostics diagnostics, int maxDepth)
    {
        var sourceName = diagnostics.SourceName;
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new GuardedParser(new Parser(scanner), diagnostics, maxDepth));
        }
        catch (YamlException ex)
        {
            var problem = MarkPrefix().Replace(ex.Message, string.Empty);
            var error = new SweepSpecError(string.Empty, checked((int)ex.Start.Line), checked((int)ex.Start.Column), $"malformed YAML: {problem}");
            throw new SweepSpecException(sourceName, SpecDiagnostics.Clip(error), ex);
        }
        catch (ArgumentException ex)
        {
            // YamlDotNet rejects some tags (e.g. "Global tags must be valid URIs") this way, without a position.
            var mark = scanner.CurrentPosition;
            var error = new SweepSpecError(string.Empty, checked((int)mark.Line), checked((int)mark.Column), $"malformed YAML: {ex.Message.Split(" (Parameter", 2)[0]}");
            throw new SweepSpecException(sourceName, SpecDiagnostics.Clip(error), ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner fails this way (without a position) on some unclosed flow
            // collections; where it stopped is the best position there is.
            var mark = scanner.CurrentPosition;
            var error = new SweepSpecError(
                string.Empty, checked((int)mark.Line), checked((int)mark.Column), "malformed YAML: the parser cannot continue here (is a '[' or '{' above left unclosed?)");
            throw new SweepSpecException(sourceName, error, ex);
        }

        return stream.Documents.Count switch
        {
            0 => throw new SweepSpecException(sourceName, [new SweepSpecError(string.Empty, 1, 1, "the spec is empty")]),
            1 => stream.Documents[0].RootNode,
            _ => throw new SweepSpecException(sourceName, [At(stream.Documents[1].RootNode, "a spec file holds one YAML document, this one has several")]),
        };
    }

    private static SweepSpecError At(YamlNode node, string problem) =>
        new(string.Empty, checked((int)node.Start.Line), checked((int)node.Start.Column), problem);

    private static YamlNode? Required(SpecReader reader, YamlNode root, Dictionary<string, YamlNode> top, string key)
    {
        if (top.TryGetValue(key, out var node))
        {
            return node;
        }

        reader.Diagnostics.Add(root, key, "is required");
        return null;
    }

    private static long? Optional(Dictionary<string, YamlNode> top, string key, Func<YamlNode, long?> read, long fallback) =>
        top.TryGetValue(key, out var node) ? read(node) : fallback;

    private static string? ReadName(SpecReader reader, YamlNode node)
    {
        var name = reader.Text(node, "name");
        if (name is not null && !NamePattern().IsMatch(name))
        {
            reader.Diagnostics.Add(node, "name", $"'{name}' is not a valid sweep name: use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit");
            return null;
        }

        return name;
    }

    private static ExperimentDefinition? ReadExperiment(SpecReader reader, YamlNode node)
    {
        var name = reader.Text(node, "experiment");
        if (name is null)
        {
            return null;
        }

        var experiment = ExperimentCatalog.Find(name);
        if (experiment is null)
        {
            reader.Diagnostics.Add(node, "experiment", $"unknown experiment '{name}' (known: {string.Join(", ", ExperimentCatalog.All.Select(e => e.Name))})");
        }

        return experiment;
    }

    private static ImmutableSortedDictionary<string, string> ReadParameters(SpecReader reader, ExperimentDefinition experiment, YamlNode node)
    {
        var values = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is YamlScalarNode scalar && YamlScalar.Resolve(scalar) is null)
        {
            return values.ToImmutable();
        }

        foreach (var (name, keyNode, value) in reader.Entries(node, "parameters") ?? [])
        {
            var path = SpecReader.Join("parameters", name);
            var definition = experiment.Find(name);
            if (definition is null)
            {
                reader.Diagnostics.Add(keyNode, path, SpecReader.UnknownParameter(experiment));
            }
            else if (value is not YamlScalarNode)
            {
                reader.Diagnostics.Add(value, path, $"expected a single value, got {YamlScalar.Describe(value)} (to sweep a parameter, put it under grid or random.space)");
            }
            else if (reader.Canonical(definition, value, path) is { } canonical)
            {
                values[name] = canonical;
            }
        }

        return values.ToImmutable();
    }

    /// <summary>Binding catches what single values cannot show, such as a required parameter given nowhere.</summary>
    private static void CheckBindable(SweepSpec spec, ExperimentDefinition experiment, SpecDiagnostics diagnostics, YamlNode root)
    {
        try
        {
            SweepPlan.Create(spec, experiment);
        }
        catch (ParameterException ex)
        {
            diagnostics.Add(root, $"parameters.{ex.Parameter}", ex.Problem);
        }
    }

    /// <summary>The grid's size with each axis named, e.g. <c>54 grid points (optimizer 6 × learning_rate 9)</c>.</summary>
    private static string GridDescription(SweepSpec spec) => spec.Grid.IsDefaultOrEmpty
        ? $"{Count(spec.GridPoints)} grid points"
        : $"{Count(spec.GridPoints)} grid points ({string.Join(" × ", spec.Grid.Select(a => $"{a.Name} {Count(a.Values.Length)}"))})";

    private static string Count(long value) => value == long.MaxValue ? "more than 9.2e18" : value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex MarkPrefix();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
