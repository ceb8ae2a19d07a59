namespace GradDescent.Deploy.Testing;

/// <summary>
/// Reads the metric names a PromQL expression selects. A small lexer, enough for the expressions of the
/// dashboard, the alerting rules and the autoscaler: it skips strings, label matchers {…}, ranges […],
/// numbers and durations, grouping label lists (by, without, on, ignoring, group_left, group_right) and
/// function names (an identifier followed by '('), aggregation operators and keywords; every other
/// identifier is a metric name.
/// </summary>
public static class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2",
        // Aggregation operators may be followed by a grouping clause instead of '(' (sum by (le) (...)).
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio",
    };

    private static readonly HashSet<string> GroupingKeywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    /// <summary>The distinct metric names <paramref name="expression"/> selects, in order of appearance.</summary>
    public static IReadOnlyList<string> MetricNames(string expression)
    {
        var names = new List<string>();
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(expression, i);
            }
            else if (c == '{')
            {
                i = SkipTo(expression, i, '}');
            }
            else if (c == '[')
            {
                i = SkipTo(expression, i, ']');
            }
            else if (c == '#')
            {
                i = expression.IndexOf('\n', i) is var end && end < 0 ? expression.Length : end;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < expression.Length && char.IsAsciiDigit(expression[i + 1])))
            {
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] == '.' || (expression[i] is '+' or '-' && IsExponentSign(expression, i))))
                {
                    i++;
                }
            }
            else if (char.IsAsciiLetter(c) || c is '_' or ':')
            {
                var start = i;
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] is '_' or ':'))
                {
                    i++;
                }

                var identifier = expression[start..i];
                var next = NextNonSpace(expression, i);
                var followedByParenthesis = next < expression.Length && expression[next] == '(';
                if (GroupingKeywords.Contains(identifier))
                {
                    i = followedByParenthesis ? SkipTo(expression, next, ')') : i;
                }
                else if (!followedByParenthesis && !Keywords.Contains(identifier) && !names.Contains(identifier))
                {
                    names.Add(identifier);
                }
            }
            else
            {
                i++;
            }
        }

        return names;
    }

    private static bool IsExponentSign(string s, int i) => i > 0 && s[i - 1] is 'e' or 'E';

    private static int NextNonSpace(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>The index after the <paramref name="close"/> that ends the group opened at <paramref name="open"/> (strings skipped).</summary>
    private static int SkipTo(string s, int open, char close)
    {
        var i = open + 1;
        while (i < s.Length && s[i] != close)
        {
            i = s[i] is '"' or '\'' or '`' ? SkipString(s, i) : i + 1;
        }

        return Math.Min(i + 1, s.Length);
    }

    private static int SkipString(string s, int open)
    {
        var quote = s[open];
        var i = open + 1;
        while (i < s.Length && s[i] != quote)
        {
            i += s[i] == '\\' && quote != '`' ? 2 : 1;
        }

        return Math.Min(i + 1, s.Length);
    }
}
