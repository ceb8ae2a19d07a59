using System.Globalization;
using System.Text;

namespace GradDescent.Sweeps;

/// <summary>
/// Checks a spec's text before YAML sees it: its size, and characters no spec may hold (NUL and other control
/// characters but tab and line breaks, unpaired UTF-16 surrogates, U+FFFE and U+FFFF). Such characters would reach
/// parameters, file names and the database, which rejects NUL.
/// </summary>
internal static class SpecText
{
    /// <summary>Throws when the text is larger than the limit; the error names the source and both sizes.</summary>
    public static void CheckSize(string text, string sourceName, int maxBytes)
    {
        // Counting stops just past the limit: a huge text costs no more than a limit-sized one.
        var bytes = text.Length > maxBytes ? (long)text.Length : Encoding.UTF8.GetByteCount(text);
        if (bytes > maxBytes)
        {
            throw TooLarge(sourceName, bytes, maxBytes);
        }
    }

    public static SweepSpecException TooLarge(string sourceName, long bytes, int maxBytes) => new(
        sourceName,
        [new SweepSpecError(string.Empty, null, null, string.Create(
            CultureInfo.InvariantCulture, $"the spec is {(bytes > maxBytes * 4L ? "more than " + Size(maxBytes * 4L) : Size(bytes))}, more than the limit of {Size(maxBytes)}"))]);

    /// <summary>Reports every disallowed character with its line and column.</summary>
    public static void CheckCharacters(string text, SpecDiagnostics diagnostics)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                line++;
                column = 1;
                continue;
            }

            if (Problem(text, i) is { } problem)
            {
                diagnostics.Add(new SweepSpecError(string.Empty, line, column, problem));
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }

            column++;
        }
    }

    /// <summary>Why the character at <paramref name="index"/> is not allowed in a spec, or null.</summary>
    public static string? Problem(string text, int index)
    {
        var c = text[index];
        if (c is '\t' or '\n' or '\r' or '\u0085' or (>= ' ' and < '\u007f') || (c > '\u009f' && !char.IsSurrogate(c) && c < '\ufffe'))
        {
            return null;
        }

        if ((char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            || (char.IsLowSurrogate(c) && index > 0 && char.IsHighSurrogate(text[index - 1])))
        {
            return null;
        }

        return char.IsSurrogate(c)
            ? "an unpaired UTF-16 surrogate is not allowed (the text is not valid Unicode)"
            : string.Create(CultureInfo.InvariantCulture, $"control character U+{(int)c:X4} is not allowed in a spec");
    }

    /// <summary>Why a scalar's value (after YAML escapes such as "\0") is not allowed, or null.</summary>
    public static string? ValueProblem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (Problem(value, i) is { } problem)
            {
                return problem.Replace("in a spec", "in a value", StringComparison.Ordinal);
            }
        }

        return null;
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");
}
