using Npgsql;
using NpgsqlTypes;

namespace GradDescent.Storage.Providers;

/// <summary>
/// Bulk result writes on PostgreSQL: binary COPY into transaction-scoped staging tables, then one statement
/// inserts the new trials (<c>ON CONFLICT DO NOTHING</c>) and the steps of exactly those trials.
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
        )
        SELECT experiment, status, count(*) FROM inserted GROUP BY experiment, status;
        """;

    public static async Task<StoredTrialCounts> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TrialRow> rows, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(CreateStagingSql, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CopyTrialsAsync(connection, rows, cancellationToken).ConfigureAwait(false);
        await CopyStepsAsync(connection, rows, cancellationToken).ConfigureAwait(false);

        // The steps insert runs to completion whether or not the final SELECT reads it (PostgreSQL
        // executes every data-modifying WITH statement exactly once).
        var inserted = new StoredTrialCounts();
        await using var merge = new NpgsqlCommand(MergeSql, connection, transaction);
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

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
