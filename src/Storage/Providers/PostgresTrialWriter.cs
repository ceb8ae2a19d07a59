using Npgsql;
using NpgsqlTypes;

namespace GradDescent.Storage.Providers;

/// <summary>
/// Bulk result writes on PostgreSQL: binary COPY into transaction-scoped staging tables, then one statement
/// inserts the new trials (<c>ON CONFLICT DO NOTHING</c>) and the steps and artefacts of exactly those trials (artefact
/// content once per sweep and hash).
/// </summary>
internal static class PostgresTrialWriter
{
    private const string TrialColumns =
        "sweep_id, trial_index, experiment, parameters, optimizer, learning_rate, seed, status, attempts, worker_id, " +
        "device, started_at, finished_at, duration_ms, metrics, primary_metric, diverged_at_step, error, detail";

    private const string StepColumns = "sweep_id, trial_index, metric, step_values";

    private const string CreateStagingSql = """
        CREATE TEMP TABLE trials_staging (LIKE trials) ON COMMIT DROP;
        CREATE TEMP TABLE trial_steps_staging (LIKE trial_steps) ON COMMIT DROP;
        """;

    private const string MergeSql = $"""
        WITH inserted AS (
            INSERT INTO trials ({TrialColumns})
            SELECT {TrialColumns} FROM trials_staging
            ON CONFLICT (sweep_id, trial_index) DO NOTHING
            RETURNING sweep_id, trial_index, experiment, status
        ), inserted_steps AS (
            INSERT INTO trial_steps ({StepColumns})
            SELECT s.sweep_id, s.trial_index, s.metric, s.step_values
            FROM trial_steps_staging AS s
            JOIN inserted AS i ON i.sweep_id = s.sweep_id AND i.trial_index = s.trial_index
            RETURNING 1
        )/*artifacts*/
        SELECT experiment, status, count(*) FROM inserted GROUP BY experiment, status;
        """;

    private const string CreateArtifactStagingSql = """
        CREATE TEMP TABLE trial_artifacts_staging (
            sweep_id text NOT NULL, trial_index bigint NOT NULL, name text NOT NULL, media_type text NOT NULL, sha256 text NOT NULL, content bytea NULL
        ) ON COMMIT DROP;
        """;

    private const string MergeArtifactsSql = """
        , inserted_content AS (
            INSERT INTO sweep_artifacts (sweep_id, sha256, size, content)
            SELECT DISTINCT ON (a.sweep_id, a.sha256) a.sweep_id, a.sha256, length(a.content), a.content
            FROM trial_artifacts_staging AS a
            JOIN inserted AS i ON i.sweep_id = a.sweep_id AND i.trial_index = a.trial_index
            WHERE a.content IS NOT NULL
            ORDER BY a.sweep_id, a.sha256
            ON CONFLICT (sweep_id, sha256) DO NOTHING
            RETURNING 1
        ), inserted_artifacts AS (
            INSERT INTO trial_artifacts (sweep_id, trial_index, name, media_type, sha256)
            SELECT a.sweep_id, a.trial_index, a.name, a.media_type, a.sha256
            FROM trial_artifacts_staging AS a
            JOIN inserted AS i ON i.sweep_id = a.sweep_id AND i.trial_index = a.trial_index
            RETURNING 1
        )
        """;

    private static readonly string MergeStepsSql = MergeSql.Replace("/*artifacts*/", string.Empty, StringComparison.Ordinal);

    private static readonly string MergeStepsAndArtifactsSql = MergeSql.Replace("/*artifacts*/", MergeArtifactsSql.TrimEnd(), StringComparison.Ordinal);

    public static async Task<StoredTrialCounts> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TrialRow> rows, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(CreateStagingSql, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CopyTrialsAsync(connection, rows, cancellationToken).ConfigureAwait(false);
        await CopyStepsAsync(connection, rows, cancellationToken).ConfigureAwait(false);
        var withArtifacts = rows.Any(r => r.Artifacts.Count > 0);
        if (withArtifacts)
        {
            await using (var create = new NpgsqlCommand(CreateArtifactStagingSql, connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await CopyArtifactsAsync(connection, rows, cancellationToken).ConfigureAwait(false);
        }

        // The steps insert runs to completion whether or not the final SELECT reads it (PostgreSQL
        // executes every data-modifying WITH statement exactly once).
        var inserted = new StoredTrialCounts();
        await using var merge = new NpgsqlCommand(withArtifacts ? MergeStepsAndArtifactsSql : MergeStepsSql, connection, transaction);
        await using var reader = await merge.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            inserted.Add(reader.GetString(0), reader.GetString(1), checked((int)reader.GetInt64(2)));
        }

        return inserted;
    }

    private static async Task CopyTrialsAsync(NpgsqlConnection connection, IReadOnlyList<TrialRow> rows, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY trials_staging ({TrialColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            var t = row.Trial;
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.SweepId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.TrialIndex, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.Experiment, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.Parameters, NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, t.Optimizer, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, t.LearningRate, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.Seed, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.Status, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.Attempts, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.WorkerId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.Device, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.StartedAt, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.FinishedAt, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.DurationMs, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.Metrics, NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, t.PrimaryMetric, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, t.DivergedAtStep, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, t.Error, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, t.Detail, NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyStepsAsync(NpgsqlConnection connection, IReadOnlyList<TrialRow> rows, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY trial_steps_staging ({StepColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            foreach (var step in row.Steps)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(step.SweepId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(step.TrialIndex, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(step.Metric, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(step.StepValues, NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken).ConfigureAwait(false);
            }
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyArtifactsAsync(NpgsqlConnection connection, IReadOnlyList<TrialRow> rows, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY trial_artifacts_staging (sweep_id, trial_index, name, media_type, sha256, content) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            foreach (var artifact in row.Artifacts)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(row.Trial.SweepId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(row.Trial.TrialIndex, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(artifact.Name, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(artifact.MediaType, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(artifact.Sha256, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(copy, artifact.Content, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
