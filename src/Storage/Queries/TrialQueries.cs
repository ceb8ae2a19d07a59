using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using GradDescent.Abstractions.Experiments;

namespace GradDescent.Storage.Queries;

/// <summary>
/// Paged, sorted and filtered reads of a sweep's trials, straight from SQL (the dashboard's trials table and its CSV
/// export; the command line can reuse it). The filter language:
/// <code>optimizer = adam and learning_rate &lt; 0.01 and mse &lt; 120</code>
/// comparisons <c>= != &lt; &lt;= &gt; &gt;=</c>, <c>name [not] in (a, b)</c>, <c>name is [not] null</c>, combined with
/// <c>and</c>, <c>or</c>, <c>not</c> and parentheses; names are <see cref="TrialFields"/> (columns, parameters,
/// metrics); values are numbers, <c>'quoted text'</c> or bare words. Non-finite metrics read as null.
/// </summary>
public static class TrialQueries
{
    private const string Columns =
        "trial_index, status, seed, attempts, worker_id, device, duration_ms, started_at, finished_at, diverged_at_step, error, parameters, metrics";

    /// <summary>The names of every metric the sweep's trials stored, sorted.</summary>
    public static async Task<IReadOnlyList<string>> MetricNamesAsync(IResultStore store, string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        var sql = store.Provider == StorageProvider.Sqlite
            ? "SELECT DISTINCT j.key FROM trials AS t, json_each(t.metrics) AS j WHERE t.sweep_id = @sweep"
            : "SELECT DISTINCT jsonb_object_keys(metrics) FROM trials WHERE sweep_id = @sweep";
        var names = new List<string>();
        await using var connection = await OpenAsync(store, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, [new("@sweep", sweepId)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>The fields of a sweep: its experiment's parameters and the metrics stored so far.</summary>
    /// <exception cref="ArgumentException">The experiment is unknown.</exception>
    public static async Task<TrialFields> FieldsAsync(IResultStore store, string sweepId, string experiment, CancellationToken cancellationToken = default) =>
        new(ExperimentCatalog.Get(experiment), await MetricNamesAsync(store, sweepId, cancellationToken).ConfigureAwait(false));

    /// <exception cref="TrialQueryException">The filter or sort is invalid (the message names the position).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The page or page size is out of range.</exception>
    public static async Task<TrialPage> PageAsync(IResultStore store, string sweepId, TrialFields fields, TrialQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Page, 1, "page");
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1, "pageSize");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, TrialQuery.MaxPageSize, "pageSize");
        var (where, order, sql) = Compile(store, sweepId, fields, query.Filter, query.Sort);
        var limit = sql.Add((long)query.PageSize);
        var offset = sql.Add(((long)query.Page - 1) * query.PageSize);

        await using var connection = await OpenAsync(store, cancellationToken).ConfigureAwait(false);
        long total;
        await using (var count = Command(connection, $"SELECT COUNT(*) FROM trials WHERE {where}", sql.Parameters))
        {
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        var items = new List<TrialListItem>(Math.Min(query.PageSize, (int)Math.Min(total, TrialQuery.MaxPageSize)));
        if (total > 0)
        {
            await using var page = Command(connection, $"SELECT {Columns} FROM trials WHERE {where} ORDER BY {order} LIMIT {limit} OFFSET {offset}", sql.Parameters);
            await using var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(Read(reader));
            }
        }

        return new TrialPage(total, query.Page, query.PageSize, items);
    }

    /// <summary>Every trial that matches the filter, in the sort's order (a CSV export of exactly the filtered rows).</summary>
    /// <param name="sampleEvery">1 for every matching trial; n for those whose index is a multiple of n (charts of large sweeps).</param>
    /// <exception cref="TrialQueryException">The filter or sort is invalid; thrown before the first row.</exception>
    public static IAsyncEnumerable<TrialListItem> StreamAsync(
        IResultStore store, string sweepId, TrialFields fields, string? filter, string? sort, long sampleEvery = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleEvery, 1);
        var (where, order, sql) = Compile(store, sweepId, fields, filter, sort);
        if (sampleEvery > 1)
        {
            where += $" AND trial_index % {sql.Add(sampleEvery)} = 0";
        }

        return ReadAllAsync(store, where, order, sql, cancellationToken);
    }

    /// <summary>How many of the sweep's trials match the filter.</summary>
    /// <exception cref="TrialQueryException">The filter is invalid.</exception>
    public static async Task<long> CountAsync(IResultStore store, string sweepId, TrialFields fields, string? filter, CancellationToken cancellationToken = default)
    {
        var (where, _, sql) = Compile(store, sweepId, fields, filter, null);
        await using var connection = await OpenAsync(store, cancellationToken).ConfigureAwait(false);
        await using var count = Command(connection, $"SELECT COUNT(*) FROM trials WHERE {where}", sql.Parameters);
        return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Every trial's index, status and primary metric (null unless completed and finite), in the order they finished.</summary>
    public static async IAsyncEnumerable<TrialOutcomeRow> OutcomesAsync(IResultStore store, string sweepId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        await using var connection = await OpenAsync(store, cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            "SELECT trial_index, status, primary_metric FROM trials WHERE sweep_id = @sweep ORDER BY finished_at, trial_index",
            [new("@sweep", sweepId)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var status = reader.GetString(1);
            yield return new TrialOutcomeRow(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                status,
                reader.IsDBNull(2) || status != "completed" ? null : Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Checks a filter and sort without running them.</summary>
    /// <exception cref="TrialQueryException">The filter or sort is invalid.</exception>
    public static void Validate(StorageProvider provider, TrialFields fields, string? filter, string? sort)
    {
        var sql = new TrialSql(provider, fields);
        if (FilterParser.Parse(filter) is { } node)
        {
            sql.Where(node);
        }

        sql.OrderBy(TrialSort.Parse(sort, fields));
    }

    private static async IAsyncEnumerable<TrialListItem> ReadAllAsync(
        IResultStore store, string where, string order, TrialSql sql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(store, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {Columns} FROM trials WHERE {where} ORDER BY {order}", sql.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Read(reader);
        }
    }

    private static (string Where, string Order, TrialSql Sql) Compile(IResultStore store, string sweepId, TrialFields fields, string? filter, string? sort)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sweepId);
        ArgumentNullException.ThrowIfNull(fields);
        var sql = new TrialSql(store.Provider, fields);
        var where = $"sweep_id = {sql.Add(sweepId)}";
        if (FilterParser.Parse(filter) is { } node)
        {
            where += $" AND {sql.Where(node)}";
        }

        return (where, sql.OrderBy(TrialSort.Parse(sort, fields)), sql);
    }

    private static TrialListItem Read(DbDataReader reader)
    {
        var where = $"trials row {reader.GetValue(0)}";
        return new TrialListItem
        {
            Index = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
            Status = reader.GetString(1),
            Seed = Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
            Attempts = Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
            WorkerId = reader.GetString(4),
            Device = reader.GetString(5),
            DurationMs = Convert.ToDouble(reader.GetValue(6), CultureInfo.InvariantCulture),
            StartedAt = Time(reader.GetValue(7)),
            FinishedAt = Time(reader.GetValue(8)),
            DivergedAtStep = reader.IsDBNull(9) ? null : Convert.ToInt32(reader.GetValue(9), CultureInfo.InvariantCulture),
            Error = reader.IsDBNull(10) ? null : reader.GetString(10),
            Parameters = StoredJson.ReadParameters(reader.GetString(11), where + " parameters"),
            Metrics = StoredJson.ReadMetrics(reader.GetString(12), where + " metrics"),
        };
    }

    /// <summary>PostgreSQL returns timestamptz as a UTC <see cref="DateTime"/>; SQLite stores the text EF Core wrote.</summary>
    private static DateTimeOffset Time(object value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => throw new FormatException($"unexpected timestamp value of type {value.GetType().Name}"),
    };

    internal static async Task<DbConnection> OpenAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var dialect = store is ResultStore resultStore
            ? resultStore.Dialect
            : throw new ArgumentException($"{store.GetType().Name} is not a store made by {nameof(ResultStoreFactory)}", nameof(store));
        return await dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static DbCommand Command(DbConnection connection, string sql, IEnumerable<KeyValuePair<string, object>> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
