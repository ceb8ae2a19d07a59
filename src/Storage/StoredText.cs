using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GradDescent.Storage;

/// <summary>
/// Makes text storable in both databases before it is written: PostgreSQL rejects NUL in <c>text</c> (22021) and the
/// escape <c>\u0000</c> or an unpaired surrogate escape in <c>jsonb</c> (22P05); an unpaired UTF-16 surrogate cannot be
/// encoded as UTF-8 at all. Such characters become U+FFFD, long texts are cut, and a detail document that is not
/// valid JSON is replaced by a small one saying so. A result is thus stored, visibly altered, instead of poisoning
/// its batch (docs/security.md).
/// </summary>
internal static class StoredText
{
    /// <summary>What NUL and unpaired surrogates become.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>Longest stored error text (an exception message can quote anything).</summary>
    public const int MaxErrorLength = 8 * 1024;

    /// <summary>Longest stored label (worker id, device, metric name).</summary>
    public const int MaxLabelLength = 256;

    /// <summary>The detail stored in place of a document that is not valid JSON.</summary>
    public const string InvalidDetail = """{"error":"the trial's detail document was not valid JSON and was not stored"}""";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The text with NUL and unpaired surrogates replaced (the same instance when there are none).</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bad = FirstBad(text);
        if (bad < 0)
        {
            return text;
        }

        var clean = new StringBuilder(text.Length).Append(text, 0, bad);
        for (var i = bad; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                clean.Append(Replacement);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else
            {
                clean.Append(char.IsSurrogate(c) ? Replacement : c);
            }
        }

        return clean.ToString();
    }

    /// <summary><see cref="Clean"/>, then cut to <paramref name="maxLength"/> characters with a note of the full length.</summary>
    public static string Clean(string text, int maxLength)
    {
        var clean = Clean(text);
        if (clean.Length <= maxLength)
        {
            return clean;
        }

        var cut = char.IsHighSurrogate(clean[maxLength - 1]) ? maxLength - 1 : maxLength;
        return $"{clean[..cut]}… (cut from {clean.Length} characters)";
    }

    /// <summary>A JSON document both databases accept: as given when it is, rewritten with clean strings otherwise.</summary>
    public static string CleanDocument(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var bytes = Encoding.UTF8.GetBytes(json);
        try
        {
            // Unpaired surrogates in the text itself became U+FFFD in the bytes: rewriting keeps the clean form.
            return FirstBad(json) >= 0 || NeedsRewrite(bytes) ? Rewrite(bytes) : json;
        }
        catch (JsonException)
        {
            return InvalidDetail;
        }
    }

    private static int FirstBad(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1])))
                || (char.IsHighSurrogate(c) && (i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Validates the document; true when some string in it, once unescaped, is not clean.</summary>
    private static bool NeedsRewrite(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var rewrite = false;
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && !rewrite)
            {
                rewrite = UnescapedIsBad(ref reader);
            }
        }

        return rewrite;
    }

    private static bool UnescapedIsBad(ref Utf8JsonReader reader)
    {
        try
        {
            return FirstBad(reader.GetString()!) >= 0;
        }
        catch (InvalidOperationException)
        {
            // An escaped unpaired surrogate: System.Text.Json refuses to unescape it.
            return true;
        }
    }

    private static string Rewrite(byte[] json)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName: writer.WritePropertyName(CleanString(ref reader)); break;
                    case JsonTokenType.String: writer.WriteStringValue(CleanString(ref reader)); break;
                    case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                }
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string CleanString(ref Utf8JsonReader reader)
    {
        try
        {
            return Clean(reader.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return Replacement.ToString();
        }
    }
}
