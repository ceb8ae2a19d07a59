using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps;

/// <summary>
/// Resolves a YAML scalar to a typed value with the YAML 1.2 core schema (the JSON-compatible one):
/// plain <c>50</c> is a long, <c>1.0e-4</c> a double, <c>true</c> a bool, <c>~</c>/<c>null</c>/empty
/// null; anything quoted (or tagged <c>!!str</c>) stays a string.
/// </summary>
internal static partial class YamlScalar
{
    private const string StringTag = "tag:yaml.org,2002:str";

    public static bool IsQuoted(YamlScalarNode node) =>
        node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded
        || (!node.Tag.IsEmpty && node.Tag.Value == StringTag);

    public static object? Resolve(YamlScalarNode node)
    {
        var text = node.Value ?? string.Empty;
        if (IsQuoted(node))
        {
            return text;
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        if (IntegerPattern().IsMatch(text))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? (object)integer
                : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return hex;
        }

        if (FloatPattern().IsMatch(text))
        {
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return text;
    }

    /// <summary>How a value reads back in an error message.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar when IsQuoted(scalar) => $"the string '{scalar.Value}'",
        YamlScalarNode scalar => Resolve(scalar) is null ? "nothing" : $"'{scalar.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
