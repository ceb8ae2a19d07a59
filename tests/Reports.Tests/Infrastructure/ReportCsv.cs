using System.Text;

namespace GradDescent.Reports.Tests.Infrastructure;

/// <summary>Reads a report CSV (RFC 4180 quoting) into one dictionary per row, keyed by the header.</summary>
public static class ReportCsv
{
    public static List<Dictionary<string, string>> Read(string path)
    {
        var rows = Parse(File.ReadAllText(path));
        var headers = rows[0];
        Assert.Equal(headers.Count, headers.Distinct().Count());
        return [.. rows.Skip(1).Select(row =>
        {
            Assert.Equal(headers.Count, row.Count);
            return headers.Zip(row).ToDictionary(p => p.First, p => p.Second);
        })];
    }

    private static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
            }
            else if (c != '\r')
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }

        return rows;
    }
}
