using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GradDescent.Storage;

/// <summary>The JSON forms of a trial's parameters (name → canonical text) and final metrics (name → number).</summary>
internal static class StoredJson
{
    // Non-finite metrics (a diverged trial's mse) are written as the strings "NaN", "Infinity", "-Infinity".
    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string WriteParameters(ImmutableSortedDictionary<string, string> parameters) =>
        JsonSerializer.Serialize(parameters, Options);

    public static string WriteMetrics(ImmutableSortedDictionary<string, double> metrics) =>
        JsonSerializer.Serialize(metrics, Options);

    public static ImmutableSortedDictionary<string, string> ReadParameters(string json, string where) =>
        Read<string>(json, where);

    public static ImmutableSortedDictionary<string, double> ReadMetrics(string json, string where) =>
        Read<double>(json, where);

    private static ImmutableSortedDictionary<string, T> Read<T>(string json, string where)
    {
        try
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, T>>(json, Options)
                ?? throw new FormatException($"{where}: JSON null where an object was expected");
            return values.ToImmutableSortedDictionary(StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{where}: invalid JSON ({e.Message})", e);
        }
    }
}
