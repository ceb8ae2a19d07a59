using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GradDescent.Storage;

/// <summary>
/// A float series as a JSON array, SQLite's stand-in for PostgreSQL's <c>real[]</c>. JSON has no NaN or
/// infinity: NaN is written as <c>null</c> (SQLite itself stores NaN as NULL) and ±infinity as <c>±1e999</c>,
/// which SQLite's <c>json_each</c> reads back as ±Inf.
/// </summary>
internal static class FloatArrayJson
{
    public static string Write(float[] values)
    {
        // Up to 15 chars per float ("-1.1754944E-38") plus a comma; formatted in place, no per-value strings.
        var buffer = values.Length <= 256 ? stackalloc char[values.Length * 16 + 2] : new char[values.Length * 16 + 2];
        var length = 0;
        buffer[length++] = '[';
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                buffer[length++] = ',';
            }

            var value = values[i];
            ReadOnlySpan<char> special = float.IsNaN(value) ? "null"
                : float.IsPositiveInfinity(value) ? "1e999"
                : float.IsNegativeInfinity(value) ? "-1e999"
                : default;
            if (!special.IsEmpty)
            {
                special.CopyTo(buffer[length..]);
                length += special.Length;
            }
            else
            {
                // The default float format is the shortest text that parses back to the same value.
                value.TryFormat(buffer[length..], out var written, default, CultureInfo.InvariantCulture);
                length += written;
            }
        }

        buffer[length++] = ']';
        return new string(buffer[..length]);
    }

    /// <exception cref="FormatException">The text is not a JSON array of numbers and nulls.</exception>
    public static float[] Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException($"step_values: expected a JSON array, got '{Shorten(json)}'");
        }

        var values = new List<float>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.TokenType switch
            {
                JsonTokenType.Null => float.NaN,
                JsonTokenType.Number => float.Parse(Encoding.UTF8.GetString(reader.ValueSpan), NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => throw new FormatException($"step_values: element {values.Count} is a {reader.TokenType}, expected a number or null"),
            });
        }

        return [.. values];
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
