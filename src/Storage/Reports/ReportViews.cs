using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using GradDescent.Abstractions.Experiments;

namespace GradDescent.Storage.Reports;

/// <summary>
/// Reads the report views (schema version 9) and the trials' artefacts for one sweep. The numbers are computed by the database, so a SQL user
/// querying the same view sees the same figures as the report.
/// </summary>
public static class ReportViews
{
    internal const string OptimizerSummarySql = """
        SELECT optimizer, rank, best_learning_rate, n, mean, stddev, ci95_half_width, median, best_value, iterations_to_1pct,
               seeds_within_1pct, grid_points, grid_converged, grid_diverged, converged_share, diverged_share, trials, mean_duration_ms,
               best_parameters
        FROM optimizer_summary WHERE sweep_id = @sweep ORDER BY rank, optimizer
        """;

    internal const string LearningRateCurveSql = """
        SELECT optimizer, learning_rate, trials, completed, diverged, failed, n, mean, stddev, ci95_half_width, median, best_value, mean_duration_ms,
               parameters, min_value, max_value, converged, optimum, optimum_known, pruned
        FROM learning_rate_curve WHERE sweep_id = @sweep
        """;

    internal const string TrialConvergenceSql = """
        SELECT trial_index, optimizer, learning_rate, seed, status, primary_metric, duration_ms, diverged_at_step, sweep_best, iterations_to_1pct,
               parameters, optimum, optimum_known, converged
        FROM trial_convergence WHERE sweep_id = @sweep ORDER BY trial_index
        """;

    internal const string SpreadShapesSql = """
        SELECT vectors, dims, trials, completed, best_min_angle_deg, known_optimum_deg, gap_deg
        FROM spread_shapes WHERE sweep_id = @sweep ORDER BY vectors, dims
        """;

    internal const string AttackSuccessSql = """
        SELECT optimizer, step, learning_rate, trials, flipped, success_rate, mean_target_probability, mean_iterations_to_flip
        FROM attack_success WHERE sweep_id = @sweep ORDER BY optimizer, step, learning_rate
        """;

    internal const string TrialSql = "SELECT trial_index, parameters, metrics, detail FROM trials WHERE sweep_id = @sweep AND trial_index = @trial";

    internal const string TrialArtifactsSql = """
        SELECT a.name, a.media_type, a.sha256, c.size
        FROM trial_artifacts AS a
        LEFT JOIN sweep_artifacts AS c ON c.sweep_id = a.sweep_id AND c.sha256 = a.sha256
        WHERE a.sweep_id = @sweep AND a.trial_index = @trial
        ORDER BY a.name
        """;

    internal const string ArtifactContentSql = """
        SELECT c.content
        FROM trial_artifacts AS a
        JOIN sweep_artifacts AS c ON c.sweep_id = a.sweep_id AND c.sha256 = a.sha256
        WHERE a.sweep_id = @sweep AND a.trial_index = @trial AND a.name = @name
        """;

    /// <summary>Every query the report runs, by name: all filter on <c>@sweep</c> (ReportViewPlanTests checks each is answered from indexes on PostgreSQL).</summary>
    internal static IReadOnlyList<(string Name, string Sql)> Queries { get; } =
    [
        (nameof(OptimizerSummarySql), OptimizerSummarySql),
        (nameof(LearningRateCurveSql), LearningRateCurveSql),
        (nameof(TrialConvergenceSql), TrialConvergenceSql),
        (nameof(SpreadShapesSql), SpreadShapesSql),
        (nameof(AttackSuccessSql), AttackSuccessSql),
        (nameof(TrialSql), TrialSql),
        (nameof(TrialArtifactsSql), TrialArtifactsSql),
        (nameof(ArtifactContentSql), ArtifactContentSql),
    ];

    /// <returns>One row per optimizer, best rank first.</returns>
    public static Task<IReadOnlyList<OptimizerSummaryRow>> OptimizerSummaryAsync(IResultStore store, string sweepId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            store,
            OptimizerSummarySql,
            sweepId,
            r => new OptimizerSummaryRow
            {
                Optimizer = Text(r, 0), Rank = Long(r, 1), BestLearningRate = Real(r, 2), N = Long(r, 3), Mean = Real(r, 4),
                StdDev = Real(r, 5), Ci95HalfWidth = Real(r, 6), Median = Real(r, 7), BestValue = Real(r, 8), IterationsTo1Pct = Real(r, 9),
                SeedsWithin1Pct = Long(r, 10), GridPoints = Long(r, 11), GridConverged = Long(r, 12), GridDiverged = Long(r, 13),
                ConvergedShare = Real(r, 14) ?? 0, DivergedShare = Real(r, 15) ?? 0, Trials = Long(r, 16), MeanDurationMs = Real(r, 17) ?? 0,
                BestParameters = Parameters(r, 18),
            },
            cancellationToken);

    /// <returns>One row per configuration (distinct parameters), in no particular order.</returns>
    public static Task<IReadOnlyList<LearningRateCurveRow>> LearningRateCurveAsync(IResultStore store, string sweepId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            store,
            LearningRateCurveSql,
            sweepId,
            r => new LearningRateCurveRow
            {
                Optimizer = Text(r, 0), LearningRate = Real(r, 1), Trials = Long(r, 2), Completed = Long(r, 3), Diverged = Long(r, 4),
                Failed = Long(r, 5), N = Long(r, 6), Mean = Real(r, 7), StdDev = Real(r, 8), Ci95HalfWidth = Real(r, 9), Median = Real(r, 10),
                BestValue = Real(r, 11), MeanDurationMs = Real(r, 12) ?? 0, Parameters = Parameters(r, 13),
                MinValue = Real(r, 14), MaxValue = Real(r, 15), Converged = Long(r, 16), Optimum = Real(r, 17), OptimumKnown = Long(r, 18) == 1,
                Pruned = Long(r, 19),
            },
            cancellationToken);

    /// <returns>One row per trial, by trial index.</returns>
    public static Task<IReadOnlyList<TrialConvergenceRow>> TrialConvergenceAsync(IResultStore store, string sweepId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            store,
            TrialConvergenceSql,
            sweepId,
            r => ReadTrialConvergence(r, CanonicalParameters),
            cancellationToken);

    /// <summary>
    /// The rows of <see cref="TrialConvergenceAsync"/>, read one at a time from an open reader: a report walks a
    /// million-trial sweep without holding it (docs/benchmarks.md, Memory).
    /// </summary>
    /// <returns>One row per trial, by trial index.</returns>
    public static IAsyncEnumerable<TrialConvergenceRow> TrialConvergenceStreamAsync(IResultStore store, string sweepId, CancellationToken cancellationToken = default)
    {
        // The repeats of a configuration are neighbours in trial order: their parameters are parsed once and share one string.
        var (raw, canonical) = (string.Empty, "{}");
        return StreamAsync(store, TrialConvergenceSql, sweepId, r => ReadTrialConvergence(r, text =>
        {
            if (text != raw)
            {
                (raw, canonical) = (text, CanonicalParameters(text));
            }

            return canonical;
        }), cancellationToken);
    }

    /// <returns>One row per (vectors, dims) of a vector-spread sweep; empty for other experiments.</returns>
    public static Task<IReadOnlyList<SpreadShapeRow>> SpreadShapesAsync(IResultStore store, string sweepId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            store,
            SpreadShapesSql,
            sweepId,
            r => new SpreadShapeRow((int)Long(r, 0), (int)Long(r, 1), Long(r, 2), Long(r, 3), Real(r, 4), Real(r, 5), Real(r, 6)),
            cancellationToken);

    /// <returns>One row per (optimizer, step, learning rate) of an adversarial sweep; empty for other experiments.</returns>
    public static Task<IReadOnlyList<AttackSuccessRow>> AttackSuccessAsync(IResultStore store, string sweepId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            store,
            AttackSuccessSql,
            sweepId,
            r => new AttackSuccessRow(Text(r, 0), Real(r, 1), Real(r, 2), Long(r, 3), Long(r, 4), Real(r, 5) ?? 0, Real(r, 6), Real(r, 7)),
            cancellationToken);

    /// <returns>What a search sweep optimises, by position (<c>sweep_objectives</c>); empty for a sweep without a search section.</returns>
    public static Task<IReadOnlyList<SweepObjectiveRecord>> ObjectivesAsync(IResultStore store, string sweepId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            store,
            "SELECT name, goal FROM sweep_objectives WHERE sweep_id = @sweep ORDER BY position",
            sweepId,
            r => new SweepObjectiveRecord(Text(r, 0), Text(r, 1) == "maximize" ? MetricGoal.Maximize : MetricGoal.Minimize),
            cancellationToken);

    /// <returns>
    /// The sweep's Pareto front (the <c>pareto_front</c> view: completed trials with every objective finite that no other
    /// such trial dominates), by trial index, each with its <paramref name="objectives"/> values in objective order.
    /// </returns>
    public static Task<IReadOnlyList<ObjectiveValuesRow>> ParetoFrontAsync(IResultStore store, string sweepId, int objectives, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(objectives, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(objectives, 4);
        return QueryAsync(
            store,
            "SELECT trial_index, parameters, value_1, value_2, value_3, value_4 FROM pareto_front WHERE sweep_id = @sweep ORDER BY trial_index",
            sweepId,
            r => new ObjectiveValuesRow(Long(r, 0), [.. Enumerable.Range(2, objectives).Select(c => Real(r, c) ?? double.NaN)], Parameters(r, 1)),
            cancellationToken);
    }

    /// <returns>
    /// Every completed trial whose <paramref name="objectives"/> objectives are all finite (the <c>trial_objectives</c> view), by
    /// trial index; parameters are left out (<c>{}</c>).
    /// </returns>
    public static async Task<IReadOnlyList<ObjectiveValuesRow>> ObjectiveValuesAsync(IResultStore store, string sweepId, int objectives, CancellationToken cancellationToken = default)
    {
        var cells = await QueryAsync(
            store,
            "SELECT trial_index, position, value FROM trial_objectives WHERE sweep_id = @sweep ORDER BY trial_index, position",
            sweepId,
            r => (Index: Long(r, 0), Position: (int)Long(r, 1), Value: Real(r, 2)),
            cancellationToken).ConfigureAwait(false);
        var rows = new List<ObjectiveValuesRow>();
        foreach (var trial in cells.GroupBy(c => c.Index))
        {
            var values = trial.Where(c => c.Position <= objectives && c.Value is not null).OrderBy(c => c.Position).Select(c => c.Value!.Value).ToArray();
            if (values.Length == objectives)
            {
                rows.Add(new ObjectiveValuesRow(trial.Key, values, "{}"));
            }
        }

        return rows;
    }

    /// <returns>The trial's stored parameters, metrics and detail document, or null if it is not stored.</returns>
    public static async Task<StoredTrial?> GetTrialAsync(IResultStore store, string sweepId, long trialIndex, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(
            store,
            TrialSql,
            sweepId,
            r => new StoredTrial(Long(r, 0), Parameters(r, 1), Text(r, 2), r.IsDBNull(3) ? null : Text(r, 3)),
            cancellationToken,
            ("@trial", trialIndex)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <returns>The artefacts a trial stored (without content), by name; empty if none.</returns>
    public static Task<IReadOnlyList<StoredArtifact>> TrialArtifactsAsync(IResultStore store, string sweepId, long trialIndex, CancellationToken cancellationToken = default) =>
        QueryAsync(
            store,
            TrialArtifactsSql,
            sweepId,
            r => new StoredArtifact(Text(r, 0), Text(r, 1), Text(r, 2), r.IsDBNull(3) ? null : Long(r, 3)),
            cancellationToken,
            ("@trial", trialIndex));

    /// <returns>The content of a trial's artefact, or null when the trial stored none of that name or its content is missing.</returns>
    public static async Task<byte[]?> ArtifactContentAsync(IResultStore store, string sweepId, long trialIndex, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var rows = await QueryAsync(
            store,
            ArtifactContentSql,
            sweepId,
            r => (byte[])r.GetValue(0),
            cancellationToken,
            ("@trial", trialIndex),
            ("@name", name)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static TrialConvergenceRow ReadTrialConvergence(DbDataReader r, Func<string, string> parameters) => new()
    {
        TrialIndex = Long(r, 0), Optimizer = Text(r, 1), LearningRate = Real(r, 2), Seed = (int)Long(r, 3), Status = Text(r, 4),
        PrimaryMetric = Real(r, 5), DurationMs = Real(r, 6) ?? 0, DivergedAtStep = Int(r, 7), SweepBest = Real(r, 8), IterationsTo1Pct = Int(r, 9),
        Parameters = parameters(Text(r, 10)), Optimum = Real(r, 11), OptimumKnown = Long(r, 12) == 1, Converged = Long(r, 13) == 1,
    };

    private static async IAsyncEnumerable<T> StreamAsync<T>(
        IResultStore store, string sql, string sweepId, Func<DbDataReader, T> read, [EnumeratorCancellation] CancellationToken cancellationToken, params (string Name, object Value)[] extra)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sweepId);
        var dialect = store is ResultStore resultStore
            ? resultStore.Dialect
            : throw new ArgumentException($"{store.GetType().Name} is not a store made by {nameof(ResultStoreFactory)}", nameof(store));
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in extra.Prepend(("@sweep", sweepId)))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return read(reader);
        }
    }

    private static async Task<IReadOnlyList<T>> QueryAsync<T>(
        IResultStore store, string sql, string sweepId, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] extra)
    {
        var rows = new List<T>();
        await foreach (var row in StreamAsync(store, sql, sweepId, read, cancellationToken, extra).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// The parameters JSON in one form on both databases (PostgreSQL's jsonb reorders keys and adds spaces): compact, keys
    /// in ordinal order.
    /// </summary>
    private static string Parameters(DbDataReader reader, int column) => CanonicalParameters(Text(reader, column));

    private static string CanonicalParameters(string json) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(
            JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [], StringComparer.Ordinal));

    private static string Text(DbDataReader reader, int column) => Convert.ToString(reader.GetValue(column), CultureInfo.InvariantCulture) ?? string.Empty;

    private static long Long(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? 0 : Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture);

    private static int? Int(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : Convert.ToInt32(reader.GetValue(column), CultureInfo.InvariantCulture);

    private static double? Real(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : Convert.ToDouble(reader.GetValue(column), CultureInfo.InvariantCulture);
}
