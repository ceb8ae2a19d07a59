using System.Globalization;

namespace GradDescent.Storage.Queries;

/// <summary>
/// Parses the trial filter language: comparisons (<c>= != &lt; &lt;= &gt; &gt;=</c>), <c>in (...)</c>,
/// <c>is [not] null</c>, combined with <c>and</c>, <c>or</c>, <c>not</c> and parentheses; values are numbers,
/// quoted strings (<c>'...'</c> or <c>"..."</c>, a doubled quote inside stands for one) or bare words.
/// Keywords are case-insensitive. Example: <c>optimizer = adam and learning_rate &lt; 0.01 and mse &lt; 120</c>.
/// </summary>
internal sealed class FilterParser
{
    private const string Part = "filter";
    private readonly List<Token> tokens;
    private int next;

    private FilterParser(string text) => tokens = Tokenize(text);

    private enum Kind
    {
        Word,
        Number,
        String,
        Operator,
        Open,
        Close,
        Comma,
        End,
    }

    /// <returns>The filter, or null for an empty or blank text.</returns>
    /// <exception cref="TrialQueryException">The text is not a valid filter.</exception>
    public static FilterNode? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parser = new FilterParser(text);
        var node = parser.ParseOr();
        var end = parser.Peek;
        if (end.Kind != Kind.End)
        {
            throw Error(end.Position, $"expected 'and', 'or' or the end of the filter, found '{end.Text}'");
        }

        return node;
    }

    private Token Peek => tokens[next];

    private Token Take() => tokens[next++];

    private FilterNode ParseOr()
    {
        var left = ParseAnd();
        while (IsKeyword(Peek, "or"))
        {
            Take();
            left = new OrNode(left, ParseAnd());
        }

        return left;
    }

    private FilterNode ParseAnd()
    {
        var left = ParseUnary();
        while (IsKeyword(Peek, "and"))
        {
            Take();
            left = new AndNode(left, ParseUnary());
        }

        return left;
    }

    private FilterNode ParseUnary()
    {
        var token = Peek;
        if (IsKeyword(token, "not"))
        {
            Take();
            return new NotNode(token.Position, ParseUnary());
        }

        if (token.Kind == Kind.Open)
        {
            Take();
            var inner = ParseOr();
            Expect(Kind.Close, "')'");
            return inner;
        }

        return ParseCondition();
    }

    private FilterNode ParseCondition()
    {
        var nameToken = Take();
        if (nameToken.Kind != Kind.Word || IsReserved(nameToken.Text))
        {
            throw Error(nameToken.Position, nameToken.Kind == Kind.End
                ? "expected a condition such as 'learning_rate < 0.01', found the end of the filter"
                : $"expected a column, parameter or metric name, found '{nameToken.Text}'");
        }

        var name = new NameToken(nameToken.Position, nameToken.Text);
        var token = Peek;
        if (token.Kind == Kind.Operator)
        {
            Take();
            var op = token.Text switch { "==" => "=", "<>" => "!=", _ => token.Text };
            return new ComparisonNode(name, op, ParseValue());
        }

        if (IsKeyword(token, "is"))
        {
            Take();
            var negated = IsKeyword(Peek, "not");
            if (negated)
            {
                Take();
            }

            var nullToken = Take();
            return IsKeyword(nullToken, "null")
                ? new NullNode(name, negated)
                : throw Error(nullToken.Position, $"expected 'null' after 'is{(negated ? " not" : string.Empty)}', found '{nullToken.Text}'");
        }

        var notIn = IsKeyword(token, "not");
        if (notIn)
        {
            Take();
        }

        if (IsKeyword(Peek, "in"))
        {
            Take();
            Expect(Kind.Open, "'(' after 'in'");
            var values = new List<FilterValue> { ParseValue() };
            while (Peek.Kind == Kind.Comma)
            {
                Take();
                values.Add(ParseValue());
            }

            Expect(Kind.Close, "')' or ',' in the 'in' list");
            return new InNode(name, values, notIn);
        }

        var found = Peek;
        throw Error(found.Position, $"expected an operator (=, !=, <, <=, >, >=, in, is null) after '{name.Text}', found {Describe(found)}");
    }

    private FilterValue ParseValue()
    {
        var token = Take();
        return token.Kind switch
        {
            Kind.Number => new FilterValue(token.Position, token.Text, double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture), Quoted: false),
            Kind.String => new FilterValue(token.Position, token.Text, null, Quoted: true),
            Kind.Word when !IsReserved(token.Text) => new FilterValue(token.Position, token.Text, null, Quoted: false),
            _ => throw Error(token.Position, $"expected a value (a number, 'text' or a word), found {Describe(token)}"),
        };
    }

    private void Expect(Kind kind, string what)
    {
        var token = Take();
        if (token.Kind != kind)
        {
            throw Error(token.Position, $"expected {what}, found {Describe(token)}");
        }
    }

    private static string Describe(Token token) => token.Kind == Kind.End ? "the end of the filter" : $"'{token.Text}'";

    private static bool IsKeyword(Token token, string keyword) =>
        token.Kind == Kind.Word && string.Equals(token.Text, keyword, StringComparison.OrdinalIgnoreCase);

    private static bool IsReserved(string word) =>
        word.ToLowerInvariant() is "and" or "or" or "not" or "in" or "is" or "null";

    private static TrialQueryException Error(int position, string problem) => new(Part, position, problem);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new Token(c == '(' ? Kind.Open : c == ')' ? Kind.Close : Kind.Comma, c.ToString(), start + 1));
                i++;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : null;
                var op = two is "==" or "!=" or "<>" or "<=" or ">=" ? two : c.ToString();
                if (op == "!")
                {
                    throw Error(start + 1, "'!' must be followed by '=' (not equal)");
                }

                tokens.Add(new Token(Kind.Operator, op, start + 1));
                i += op.Length;
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(new Token(Kind.String, ReadString(text, ref i), start + 1));
            }
            else if (char.IsAsciiDigit(c) || ((c is '-' or '+' or '.') && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')))
            {
                tokens.Add(new Token(Kind.Number, ReadNumber(text, ref i), start + 1));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-' or ':'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Word, text[start..i], start + 1));
            }
            else
            {
                throw Error(start + 1, $"unexpected character '{c}'");
            }
        }

        tokens.Add(new Token(Kind.End, string.Empty, text.Length + 1));
        return tokens;
    }

    private static string ReadString(string text, ref int i)
    {
        var quote = text[i];
        var start = i++;
        var value = new System.Text.StringBuilder();
        while (i < text.Length)
        {
            if (text[i] == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    value.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return value.ToString();
            }

            value.Append(text[i++]);
        }

        throw Error(start + 1, $"the string starting here has no closing {quote}");
    }

    private static string ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] is '-' or '+')
        {
            i++;
        }

        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'
            || ((text[i] is 'e' or 'E') && i + 1 < text.Length)
            || ((text[i] is '-' or '+') && text[i - 1] is 'e' or 'E')))
        {
            i++;
        }

        var number = text[start..i];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(start + 1, $"'{number}' is not a number");
        }

        if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
        {
            throw Error(i + 1, $"unexpected '{text[i]}' after the number '{number}'");
        }

        return number;
    }

    private readonly record struct Token(Kind Kind, string Text, int Position);
}
