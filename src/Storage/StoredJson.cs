using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
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

    // Readable text in SQLite (no \u002B for '+'); still valid JSON.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string WriteParameters(ImmutableSortedDictionary<string, string> parameters)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in parameters)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string WriteMetrics(ImmutableSortedDictionary<string, double> metrics)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in metrics)
            {
                if (double.IsFinite(value))
                {
                    writer.WriteNumber(name, value);
                }
                else
                {
                    writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

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
