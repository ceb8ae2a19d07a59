using System.Net;
using System.Text;

namespace GradDescent.Reports.Document;

/// <summary>The report's blocks in order, rendered as a self-contained <c>index.html</c> and as <c>summary.md</c>.</summary>
public sealed class ReportPage(string title)
{
    private readonly List<ReportBlock> blocks = [];

    public string Title { get; } = title;

    public IReadOnlyList<ReportBlock> Blocks => blocks;

    public void Add(ReportBlock block) => blocks.Add(block);

    public string ToHtml()
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{Encode(Title)}</title>");
        html.AppendLine("""
            <style>
            body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.4; }
            h1 { border-bottom: 2px solid #446; padding-bottom: .2em; }
            h2 { margin-top: 2em; border-bottom: 1px solid #ccd; }
            table { border-collapse: collapse; margin: .5em 0; font-size: 90%; }
            th, td { border: 1px solid #ccd; padding: .25em .6em; text-align: right; }
            th { background: #eef; } td:first-child, th:first-child { text-align: left; }
            tr:nth-child(even) td { background: #f8f8fc; }
            figure { display: inline-block; margin: .5em 1em .5em 0; vertical-align: top; }
            figure img { max-width: 100%; border: 1px solid #ddd; }
            figcaption { font-size: 85%; color: #555; max-width: 640px; }
            .verdict { font-size: 110%; background: #f3f7ee; border-left: 4px solid #6a4; padding: .5em 1em; }
            .note { font-size: 85%; color: #555; }
            </style>
            </head><body>
            """);
        html.AppendLine($"<h1>{Encode(Title)}</h1>");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    html.AppendLine($"<h{heading.Level}>{Encode(heading.Text)}</h{heading.Level}>");
                    break;
                case ParagraphBlock paragraph:
                    html.AppendLine(paragraph.Strong ? $"<p class=\"verdict\">{Encode(paragraph.Text)}</p>" : $"<p>{Encode(paragraph.Text)}</p>");
                    break;
                case TableBlock table:
                    AppendTable(html, table);
                    break;
                case FigureBlock figure:
                    html.AppendLine($"<figure><img src=\"{Encode(MarkdownText.Link(figure.File))}\" alt=\"{Encode(figure.Caption)}\"><figcaption>{Encode(figure.Caption)}</figcaption></figure>");
                    break;
            }
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    /// <summary>The page as Markdown; every text is escaped (<see cref="MarkdownText"/>), so user strings show literally.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"# {Md(Title)}").AppendLine();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    md.AppendLine($"{new string('#', heading.Level)} {Md(heading.Text)}").AppendLine();
                    break;
                case ParagraphBlock paragraph:
                    md.AppendLine(paragraph.Strong ? $"**{Md(paragraph.Text)}**" : Md(paragraph.Text)).AppendLine();
                    break;
                case TableBlock table:
                    md.AppendLine($"| {string.Join(" | ", table.Table.Headers.Select(Md))} |");
                    md.AppendLine($"|{string.Concat(table.Table.Headers.Select(_ => "---|"))}");
                    foreach (var row in table.Table.Rows)
                    {
                        md.AppendLine($"| {string.Join(" | ", row.Select(Md))} |");
                    }

                    md.AppendLine().AppendLine($"CSV: [{Md(table.CsvFile)}]({MarkdownText.Link(table.CsvFile)}){(table.Note is null ? string.Empty : $". {Md(table.Note)}")}").AppendLine();
                    break;
                case FigureBlock figure:
                    md.AppendLine($"![{Md(figure.Caption)}]({MarkdownText.Link(figure.File)})").AppendLine();
                    break;
            }
        }

        return md.ToString();
    }

    private static void AppendTable(StringBuilder html, TableBlock block)
    {
        html.AppendLine("<table><thead><tr>");
        foreach (var header in block.Table.Headers)
        {
            html.Append($"<th>{Encode(header)}</th>");
        }

        html.AppendLine("</tr></thead><tbody>");
        foreach (var row in block.Table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append($"<td>{Encode(cell)}</td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</tbody></table>");
        var note = block.Note is null ? string.Empty : $" {Encode(block.Note)}";
        html.AppendLine($"<p class=\"note\">CSV: <a href=\"{Encode(MarkdownText.Link(block.CsvFile))}\">{Encode(block.CsvFile)}</a>.{note}</p>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Md(string text) => MarkdownText.Escape(text);
}
