namespace GradDescent.Storage.Queries;

/// <summary>One page of a sweep's trials: which rows (filter), in which order (sort), which page.</summary>
/// <param name="Filter">Filter text (see <see cref="TrialQueries"/>), or null for every trial.</param>
/// <param name="Sort">Sort text, e.g. <c>-mse,trial_index</c>, or null for trial-index order.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Rows per page, 1 to <see cref="MaxPageSize"/>.</param>
public sealed record TrialQuery(string? Filter = null, string? Sort = null, int Page = 1, int PageSize = 50)
{
    public const int MaxPageSize = 1000;
}

/// <summary>A page of trials and how many trials match the filter in all.</summary>
public sealed record TrialPage(long Total, int Page, int PageSize, IReadOnlyList<TrialListItem> Items);

/// <summary>One trial as the trials table shows it: every column but the step series and the detail document.</summary>
public sealed record TrialListItem
{
    public required long Index { get; init; }

    public required string Status { get; init; }

    public required int Seed { get; init; }

    public required int Attempts { get; init; }

    public required string WorkerId { get; init; }

    public required string Device { get; init; }

    public required double DurationMs { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public int? DivergedAtStep { get; init; }

    public string? Error { get; init; }

    /// <summary>Parameter name → canonical text.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>Metric name → value (NaN and infinities as stored).</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
}

/// <summary>A trial's index, status and primary metric (null unless completed and finite).</summary>
public sealed record TrialOutcomeRow(long Index, string Status, double? Value);
