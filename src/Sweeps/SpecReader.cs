using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Parameters;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps;

/// <summary>
/// Typed reads of YAML nodes that record a positioned <see cref="SweepSpecError"/> instead of
/// throwing, so one pass reports every problem. Each read returns null after recording a problem.
/// With a <paramref name="files"/> gate, file parameter values are checked against it as they are read.
/// </summary>
internal sealed class SpecReader(SpecDiagnostics diagnostics, FileGate? files = null)
{
    public SpecDiagnostics Diagnostics { get; } = diagnostics;

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>
    /// The entries of a mapping, in document order. Keys must be plain text; when
    /// <paramref name="allowedKeys"/> is given, any other key is reported.
    /// </summary>
    public IReadOnlyList<(string Key, YamlScalarNode KeyNode, YamlNode Value)>? Entries(
        YamlNode node, string path, IReadOnlyList<string>? allowedKeys = null)
    {
        if (node is not YamlMappingNode mapping)
        {
            Diagnostics.Add(node, path, allowedKeys is null
                ? $"expected a mapping of parameter names to values, got {YamlScalar.Describe(node)}"
                : $"expected a mapping with keys {string.Join(", ", allowedKeys)}, got {YamlScalar.Describe(node)}");
            return null;
        }

        var entries = new List<(string, YamlScalarNode, YamlNode)>(mapping.Children.Count);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key } scalarKey)
            {
                Diagnostics.Add(keyNode, path, $"expected a key name, got {YamlScalar.Describe(keyNode)}");
                continue;
            }

            if (allowedKeys is not null && !allowedKeys.Contains(key, StringComparer.Ordinal))
            {
                Diagnostics.Add(keyNode, Join(path, key), $"unknown key (expected one of {string.Join(", ", allowedKeys)})");
                continue;
            }

            entries.Add((key, scalarKey, value));
        }

        return entries;
    }

    public string? Text(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && YamlScalar.Resolve(scalar) is not null && !string.IsNullOrWhiteSpace(scalar.Value))
        {
            return scalar.Value.Trim();
        }

        Diagnostics.Add(node, path, $"expected text, got {YamlScalar.Describe(node)}");
        return null;
    }

    public long? Integer(YamlNode node, string path, long min, long max = long.MaxValue)
    {
        var value = node is YamlScalarNode scalar ? YamlScalar.Resolve(scalar) : null;
        if (value is not long integer)
        {
            Diagnostics.Add(node, path, $"expected an integer, got {YamlScalar.Describe(node)}");
            return null;
        }

        if (integer < min || integer > max)
        {
            Diagnostics.Add(node, path, max == long.MaxValue
                ? $"{integer} is out of range: must be >= {min}"
                : $"{integer} is out of range: must be between {min} and {max}");
            return null;
        }

        return integer;
    }

    public double? Number(YamlNode node, string path)
    {
        var value = node is YamlScalarNode scalar ? YamlScalar.Resolve(scalar) : null;
        switch (value)
        {
            case long integer:
                return integer;
            case double real when double.IsFinite(real):
                return real;
            default:
                Diagnostics.Add(node, path, $"expected a finite number, got {YamlScalar.Describe(node)}");
                return null;
        }
    }

    /// <summary>A two-element list <c>[a, b]</c>.</summary>
    public (YamlNode Low, YamlNode High)? Pair(YamlNode node, string path)
    {
        if (node is YamlSequenceNode { Children.Count: 2 } sequence)
        {
            return (sequence.Children[0], sequence.Children[1]);
        }

        Diagnostics.Add(node, path, $"expected a list of two bounds [low, high], got {YamlScalar.Describe(node)}");
        return null;
    }

    /// <summary>Checks one value against the parameter's definition and returns its canonical text.</summary>
    public string? Canonical(ParameterDefinition definition, YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            Diagnostics.Add(node, path, $"expected a single value, got {YamlScalar.Describe(node)}");
            return null;
        }

        var raw = YamlScalar.Resolve(scalar);
        if (raw is null)
        {
            Diagnostics.Add(node, path, "no value given (leave the key out to use the default)");
            return null;
        }

        if (definition.Kind is ParameterKind.Integer or ParameterKind.Real or ParameterKind.Boolean && raw is string)
        {
            Diagnostics.Add(node, path, $"expected {KindName(definition.Kind)}, got {YamlScalar.Describe(node)}");
            return null;
        }

        if (definition.Kind is ParameterKind.Choice or ParameterKind.Path)
        {
            raw = scalar.Value;
        }

        try
        {
            var canonical = definition.Canonicalize(raw);
            if (definition.Kind == ParameterKind.Path)
            {
                files?.Check(definition, canonical);
            }

            return canonical;
        }
        catch (ParameterException ex)
        {
            Diagnostics.Add(node, path, ex.Problem);
            return null;
        }
    }

    public static string UnknownParameter(ExperimentDefinition experiment) =>
        $"unknown parameter for experiment '{experiment.Name}' (known: {string.Join(", ", experiment.Parameters.Select(p => p.Name))})";

    /// <summary>
    /// The canonical values of a list (grid axis or random choice); each invalid value and each repeated value
    /// (once, at its first repeat, however often it repeats) is reported, and then the result is null.
    /// </summary>
    public ImmutableArray<string>? DistinctCanonicals(ParameterDefinition definition, YamlSequenceNode list, string path)
    {
        var values = ImmutableArray.CreateBuilder<string>(list.Children.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        HashSet<string>? repeated = null;
        var valid = true;
        foreach (var item in list.Children)
        {
            var canonical = Canonical(definition, item, path);
            if (canonical is null)
            {
                valid = false;
            }
            else if (!seen.Add(canonical))
            {
                if ((repeated ??= new HashSet<string>(StringComparer.Ordinal)).Add(canonical))
                {
                    Diagnostics.Add(item, path, $"value '{canonical}' is listed more than once");
                }

                valid = false;
            }
            else
            {
                values.Add(canonical);
            }
        }

        return valid ? values.ToImmutable() : null;
    }

    public static string KindName(ParameterKind kind) => kind switch
    {
        ParameterKind.Integer => "an integer",
        ParameterKind.Real => "a number",
        ParameterKind.Boolean => "true or false",
        ParameterKind.Choice => "a choice",
        _ => "a file path",
    };

}
