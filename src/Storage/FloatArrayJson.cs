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
        var text = new StringBuilder(values.Length * 10 + 2);
        text.Append('[');
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var value = values[i];
            if (float.IsNaN(value))
            {
                text.Append("null");
            }
            else if (float.IsPositiveInfinity(value))
            {
                text.Append("1e999");
            }
            else if (float.IsNegativeInfinity(value))
            {
                text.Append("-1e999");
            }
            else
            {
                text.Append(value.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        return text.Append(']').ToString();
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
