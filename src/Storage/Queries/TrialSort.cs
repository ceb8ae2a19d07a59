namespace GradDescent.Storage.Queries;

/// <summary>One sort key: a field, ascending or descending. Nulls (missing, non-finite) sort last either way.</summary>
public sealed record TrialSort(TrialField Field, bool Descending)
{
    private const string Part = "sort";

    /// <summary>
    /// Reads a sort text: comma-separated names, each optionally prefixed with <c>-</c> or followed by <c>desc</c>
    /// (<c>asc</c>) for the direction, e.g. <c>-mse</c>, <c>optimizer,mse desc</c>. Empty: by trial index.
    /// </summary>
    /// <exception cref="TrialQueryException">A name is unknown or a term is malformed.</exception>
    public static IReadOnlyList<TrialSort> Parse(string? text, TrialFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var sorts = new List<TrialSort>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return sorts;
        }

        var position = 1;
        foreach (var term in text.Split(','))
        {
            var trimmed = term.Trim();
            var at = position + (term.Length - term.TrimStart().Length);
            position += term.Length + 1;
            if (trimmed.Length == 0)
            {
                throw new TrialQueryException(Part, at, "empty sort term (write names separated by commas, e.g. '-mse,trial_index')");
            }

            var descending = trimmed.StartsWith('-');
            var words = trimmed.TrimStart('-', '+').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 2 && words[1].ToLowerInvariant() is "asc" or "desc")
            {
                descending = words[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
            }
            else if (words.Length != 1)
            {
                throw new TrialQueryException(Part, at, $"'{trimmed}' is not a sort term: write 'name', '-name' or 'name desc'");
            }

            sorts.Add(new TrialSort(fields.Resolve(Part, at, words[0]), descending));
        }

        return sorts;
    }

    /// <summary>The sort text that <see cref="Parse"/> reads back to the same sort.</summary>
    public static string Format(IEnumerable<TrialSort> sorts) =>
        string.Join(',', sorts.Select(s => (s.Descending ? "-" : string.Empty) + s.Field.Name));
}
