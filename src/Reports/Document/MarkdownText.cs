using System.Text;
using System.Text.RegularExpressions;

namespace GradDescent.Reports.Document;

/// <summary>
/// Makes any text safe as one inline piece of Markdown: HTML metacharacters become entities (so a <c>&lt;script&gt;</c>
/// in a sweep name or parameter value is shown, never run), Markdown punctuation is backslash-escaped (no emphasis,
/// links, images, code or table cells from user text), line breaks become spaces and a leading marker that would start
/// a heading, list or quote is escaped. Link targets are percent-encoded path segments (no <c>javascript:</c> URLs).
/// </summary>
public static partial class MarkdownText
{
    /// <summary>The text as literal inline Markdown on one line.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text.AsSpan().TrimStart())
        {
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~':
                    escaped.Append('\\').Append(c);
                    break;
                case '\r' or '\n' or '\t' or '\u2028' or '\u2029': escaped.Append(' '); break;
                default:
                    if (!char.IsControl(c))
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        // A leading "#", "-", "+", "=" or "1." would start a heading, a list item or a setext heading underline.
        var result = escaped.ToString();
        if (result.Length > 0 && result[0] is '#' or '-' or '+' or '=')
        {
            return "\\" + result;
        }

        return OrderedListMarker().Replace(result, "$1\\$2", 1);
    }

    /// <summary>A relative file path as a link target: each segment percent-encoded.</summary>
    public static string Link(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString));
    }

    [GeneratedRegex(@"^(\d+)([.)])", RegexOptions.CultureInvariant)]
    private static partial Regex OrderedListMarker();
}
