using System.Globalization;
using System.Text;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// Reads a CSV file with Height and Weight columns: header names are trimmed, unquoted and matched
/// case-insensitively, other columns are ignored, fields may be quoted (<c>""</c> escapes a quote),
/// blank lines are skipped. Every problem is a <see cref="ParameterException"/> for <c>data</c>
/// naming the file and, where it applies, the line, and saying what was expected: an error never quotes the
/// file's content (the file may be someone else's).
/// </summary>
public static class HeightWeightCsv
{
    public const string Parameter = "data";

    /// <summary>Parses a file's content; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="ParameterException">The content is malformed (names the file and line, never the content).</exception>
    public static (float[] Heights, float[] Weights) Parse(byte[] content, string path)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(new MemoryStream(content, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path);
    }

    private static (float[] Heights, float[] Weights) Parse(TextReader reader, string path)
    {
        var lineNumber = 0;
        string? line;
        int heightColumn = -1, weightColumn = -1;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var names = Split(line, path, lineNumber);
            heightColumn = FindColumn(names, "Height", path, lineNumber);
            weightColumn = FindColumn(names, "Weight", path, lineNumber);
            break;
        }

        if (heightColumn < 0)
        {
            throw Problem(path, "the file is empty (expected a header with Height and Weight columns)");
        }

        var needed = Math.Max(heightColumn, weightColumn) + 1;
        var heights = new List<float>();
        var weights = new List<float>();
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = Split(line, path, lineNumber);
            if (fields.Count < needed)
            {
                throw Problem(path, $"line {lineNumber}: expected at least {needed} fields, found {fields.Count}");
            }

            heights.Add(Number(fields[heightColumn], "Height", path, lineNumber));
            weights.Add(Number(fields[weightColumn], "Weight", path, lineNumber));
        }

        if (heights.Count < 2)
        {
            throw Problem(path, $"needs at least 2 data rows, found {heights.Count}");
        }

        return (heights.ToArray(), weights.ToArray());
    }

    private static int FindColumn(List<string> names, string wanted, string path, int lineNumber)
    {
        var index = names.FindIndex(n => string.Equals(n, wanted, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw Problem(path, $"line {lineNumber}: the header has no {wanted} column (expected a first line naming Height and Weight columns)");
        }

        if (names.FindLastIndex(n => string.Equals(n, wanted, StringComparison.OrdinalIgnoreCase)) != index)
        {
            throw Problem(path, $"line {lineNumber}: the header has more than one {wanted} column");
        }

        return index;
    }

    private static float Number(string text, string column, string path, int lineNumber)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Problem(path, $"line {lineNumber}: the {column} field is not a number (expected a decimal number such as 70.5)");
        }

        var single = (float)value;
        if (!float.IsFinite(single))
        {
            throw Problem(path, $"line {lineNumber}: the {column} field is out of range (expected a finite float32 number)");
        }

        return single;
    }

    /// <summary>Splits one CSV line into trimmed, unquoted fields.</summary>
    private static List<string> Split(string line, string path, int lineNumber)
    {
        var fields = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            string field;
            if (i < line.Length && line[i] == '"')
            {
                var text = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw Problem(path, $"line {lineNumber}: a quoted field is not closed");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            text.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    text.Append(line[i++]);
                }

                while (i < line.Length && char.IsWhiteSpace(line[i]))
                {
                    i++;
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw Problem(path, $"line {lineNumber}: unexpected text after a quoted field at column {i + 1}");
                }

                field = text.ToString().Trim();
            }
            else
            {
                var comma = line.IndexOf(',', i);
                var end = comma < 0 ? line.Length : comma;
                field = line[i..end].Trim();
                i = end;
            }

            fields.Add(field);
            if (i >= line.Length)
            {
                return fields;
            }

            i++; // the comma
        }
    }

    private static ParameterException Problem(string path, string problem) => new(Parameter, $"file '{path}': {problem}");
}
