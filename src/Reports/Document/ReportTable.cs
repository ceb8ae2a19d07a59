using System.Text;

namespace GradDescent.Reports.Document;

/// <summary>A table of formatted cells, written as CSV (full-precision numbers) and shown in HTML and Markdown (display text).</summary>
/// <param name="Name">File name stem of the CSV, e.g. <c>ranking</c>.</param>
/// <param name="Headers">Column titles.</param>
/// <param name="Rows">Display cells, one array per row.</param>
/// <param name="CsvRows">Raw cells for the CSV (full precision), one array per row, same shape as <paramref name="Rows"/>.</param>
public sealed record ReportTable(string Name, IReadOnlyList<string> Headers, IReadOnlyList<string[]> Rows, IReadOnlyList<string[]> CsvRows)
{
    /// <summary>CSV column names (machine-friendly); the display headers when not set.</summary>
    public IReadOnlyList<string>? CsvHeaders { get; init; }

    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendLine(CsvLine(CsvHeaders ?? Headers));
        foreach (var row in CsvRows)
        {
            text.AppendLine(CsvLine(row));
        }

        return text.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/>'s text to <paramref name="path"/> line by line (a 100,000-row table is never one string).</summary>
    public void WriteCsv(string path)
    {
        using var file = new StreamWriter(path, append: false, new UTF8Encoding(false));
        file.WriteLine(CsvLine(CsvHeaders ?? Headers));
        foreach (var row in CsvRows)
        {
            file.WriteLine(CsvLine(row));
        }
    }

    /// <summary>One CSV line (no line end), cells quoted as RFC 4180 needs.</summary>
    public static string CsvLine(IEnumerable<string> cells) => string.Join(',', cells.Select(Csv));

    private static string Csv(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
