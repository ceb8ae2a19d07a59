using System.Globalization;

namespace GradDescent.Storage.Queries;

/// <summary>
/// Turns a parsed filter and sort into SQL for one database. Every value the user wrote, and every JSON key, travels
/// as a bound parameter; the SQL text holds only column names from <see cref="TrialFields"/> and operators from a
/// fixed list, so no filter can change the statement's shape.
/// </summary>
internal sealed class TrialSql(StorageProvider provider, TrialFields fields)
{
    private const string Part = "filter";

    public List<KeyValuePair<string, object>> Parameters { get; } = [];

    /// <summary>The SQL expression reading a field of a <c>trials</c> row.</summary>
    public string Expression(TrialField field)
    {
        switch (field.Source)
        {
            case TrialFieldSource.Column:
                return field.Key;
            case TrialFieldSource.Parameter when provider == StorageProvider.Sqlite:
                var path = Add($"$.\"{field.Key}\"");
                return field.Kind == TrialFieldKind.Number ? $"CAST(json_extract(parameters, {path}) AS REAL)" : $"json_extract(parameters, {path})";
            case TrialFieldSource.Parameter:
                var key = Add(field.Key);
                return field.Kind == TrialFieldKind.Number ? $"CAST(parameters ->> {key} AS double precision)" : $"(parameters ->> {key})";
            case TrialFieldSource.Metric when provider == StorageProvider.Sqlite:
                // "NaN"/"Infinity" are stored as strings: only JSON numbers count, the rest reads as null.
                var metricPath = Add($"$.\"{field.Key}\"");
                return $"(CASE WHEN json_type(metrics, {metricPath}) IN ('integer', 'real') THEN json_extract(metrics, {metricPath}) END)";
            default:
                var metricKey = Add(field.Key);
                return $"(CASE WHEN jsonb_typeof(metrics -> {metricKey}) = 'number' THEN CAST(metrics ->> {metricKey} AS double precision) END)";
        }
    }

    /// <exception cref="TrialQueryException">A name is unknown or a value does not fit its field.</exception>
    public string Where(FilterNode node) => node switch
    {
        AndNode and => $"({Where(and.Left)} AND {Where(and.Right)})",
        OrNode or => $"({Where(or.Left)} OR {Where(or.Right)})",
        NotNode not => $"(NOT {Where(not.Inner)})",
        NullNode isNull => $"({Expression(Field(isNull.Name))} IS {(isNull.Negated ? "NOT " : string.Empty)}NULL)",
        ComparisonNode comparison => Comparison(comparison),
        InNode inList => In(inList),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "unknown filter node"),
    };

    /// <summary>ORDER BY terms, ending with the trial index so pages are stable.</summary>
    public string OrderBy(IReadOnlyList<TrialSort> sorts)
    {
        var terms = sorts.Select(s => $"{Expression(s.Field)} {(s.Descending ? "DESC" : "ASC")} NULLS LAST").ToList();
        if (!sorts.Any(s => s.Field.Key == "trial_index" && s.Field.Source == TrialFieldSource.Column))
        {
            terms.Add("trial_index ASC");
        }

        return string.Join(", ", terms);
    }

    public string Add(object value)
    {
        var name = $"@q{Parameters.Count.ToString(CultureInfo.InvariantCulture)}";
        Parameters.Add(new(name, value));
        return name;
    }

    private TrialField Field(NameToken name)
    {
        var field = fields.Resolve(Part, name.Position, name.Text);
        return field.Kind == TrialFieldKind.Time
            ? throw new TrialQueryException(Part, name.Position, $"'{name.Text}' is a timestamp: it can be sorted by, not filtered on")
            : field;
    }

    private string Comparison(ComparisonNode comparison)
    {
        var field = Field(comparison.Name);
        if (field.Kind == TrialFieldKind.Text && comparison.Operator is not ("=" or "!="))
        {
            // Ordering text would compare spellings, not values; say so rather than answer surprisingly.
            throw new TrialQueryException(Part, comparison.Name.Position + comparison.Name.Text.Length, $"'{field.Name}' is text: use = , != or in (...)");
        }

        return $"({Expression(field)} {comparison.Operator} {Add(Value(field, comparison.Value))})";
    }

    private string In(InNode inList)
    {
        var field = Field(inList.Name);
        var values = string.Join(", ", inList.Values.Select(v => Add(Value(field, v))));
        return $"({Expression(field)} {(inList.Negated ? "NOT IN" : "IN")} ({values}))";
    }

    private static object Value(TrialField field, FilterValue value)
    {
        if (field.Kind == TrialFieldKind.Number)
        {
            return value.Number is { } number && !value.Quoted
                ? number
                : throw new TrialQueryException(Part, value.Position, $"'{field.Name}' is a number, '{value.Text}' is not");
        }

        if (field.Key == "status" && field.Source == TrialFieldSource.Column && !TrialFields.Statuses.Contains(value.Text))
        {
            throw new TrialQueryException(Part, value.Position, $"'{value.Text}' is not a trial status (one of {string.Join(", ", TrialFields.Statuses)})");
        }

        return value.Text;
    }
}
