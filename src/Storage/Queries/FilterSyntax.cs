namespace GradDescent.Storage.Queries;

/// <summary>A parsed trial filter (positions are 1-based character offsets in the filter text).</summary>
internal abstract record FilterNode(int Position);

internal sealed record AndNode(FilterNode Left, FilterNode Right) : FilterNode(Left.Position);

internal sealed record OrNode(FilterNode Left, FilterNode Right) : FilterNode(Left.Position);

internal sealed record NotNode(int At, FilterNode Inner) : FilterNode(At);

/// <summary><c>name op value</c> with op one of <c>= != &lt; &lt;= &gt; &gt;=</c>.</summary>
internal sealed record ComparisonNode(NameToken Name, string Operator, FilterValue Value) : FilterNode(Name.Position);

/// <summary><c>name [not] in (v1, v2, ...)</c>.</summary>
internal sealed record InNode(NameToken Name, IReadOnlyList<FilterValue> Values, bool Negated) : FilterNode(Name.Position);

/// <summary><c>name is [not] null</c>.</summary>
internal sealed record NullNode(NameToken Name, bool Negated) : FilterNode(Name.Position);

internal sealed record NameToken(int Position, string Text);

/// <summary>A literal: a number, a quoted string, or a bare word (read as a string, e.g. <c>optimizer = adam</c>).</summary>
internal sealed record FilterValue(int Position, string Text, double? Number, bool Quoted);
