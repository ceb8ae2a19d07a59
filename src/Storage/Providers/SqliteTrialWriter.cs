using Microsoft.Data.Sqlite;

namespace GradDescent.Storage.Providers;

/// <summary>
/// Bulk result writes on SQLite: prepared <c>INSERT OR IGNORE</c> per trial inside the caller's transaction;
/// a trial's steps are inserted only when its row was new.
/// </summary>
internal static class SqliteTrialWriter
{
    private static readonly string[] TrialColumns =
    [
        "sweep_id", "trial_index", "experiment", "parameters", "optimizer", "learning_rate", "seed", "status", "attempts",
        "worker_id", "device", "started_at", "finished_at", "duration_ms", "metrics", "primary_metric", "diverged_at_step",
        "error", "detail",
    ];

    private static readonly string InsertTrialSql =
        $"INSERT OR IGNORE INTO trials ({string.Join(", ", TrialColumns)}) VALUES ({string.Join(", ", TrialColumns.Select(c => "$" + c))})";

    private const string InsertStepSql =
        "INSERT INTO trial_steps (sweep_id, trial_index, metric, step_values) VALUES ($sweep_id, $trial_index, $metric, $step_values)";

    public static async Task<StoredTrialCounts> WriteAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<TrialRow> rows, CancellationToken cancellationToken)
    {
        await using var insertTrial = new SqliteCommand(InsertTrialSql, connection, transaction);
        var p = TrialColumns.ToDictionary(c => c, c => insertTrial.Parameters.Add(new SqliteParameter("$" + c, null)));
        await using var insertStep = new SqliteCommand(InsertStepSql, connection, transaction);
        var stepSweep = insertStep.Parameters.Add(new SqliteParameter("$sweep_id", null));
        var stepIndex = insertStep.Parameters.Add(new SqliteParameter("$trial_index", null));
        var stepMetric = insertStep.Parameters.Add(new SqliteParameter("$metric", null));
        var stepValues = insertStep.Parameters.Add(new SqliteParameter("$step_values", null));
        insertTrial.Prepare();
        insertStep.Prepare();

        var inserted = new StoredTrialCounts();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = row.Trial;
            p["sweep_id"].Value = t.SweepId;
            p["trial_index"].Value = t.TrialIndex;
            p["experiment"].Value = t.Experiment;
            p["parameters"].Value = t.Parameters;
            p["optimizer"].Value = (object?)t.Optimizer ?? DBNull.Value;
            p["learning_rate"].Value = (object?)t.LearningRate ?? DBNull.Value;
            p["seed"].Value = t.Seed;
            p["status"].Value = t.Status;
            p["attempts"].Value = t.Attempts;
            p["worker_id"].Value = t.WorkerId;
            p["device"].Value = t.Device;
            p["started_at"].Value = t.StartedAt;
            p["finished_at"].Value = t.FinishedAt;
            p["duration_ms"].Value = t.DurationMs;
            p["metrics"].Value = t.Metrics;
            p["primary_metric"].Value = (object?)t.PrimaryMetric ?? DBNull.Value;
            p["diverged_at_step"].Value = (object?)t.DivergedAtStep ?? DBNull.Value;
            p["error"].Value = (object?)t.Error ?? DBNull.Value;
            p["detail"].Value = (object?)t.Detail ?? DBNull.Value;
            if (await insertTrial.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                continue;
            }

            inserted.Add(t.Experiment, t.Status, 1);
            foreach (var step in row.Steps)
            {
                stepSweep.Value = step.SweepId;
                stepIndex.Value = step.TrialIndex;
                stepMetric.Value = step.Metric;
                stepValues.Value = FloatArrayJson.Write(step.StepValues);
                await insertStep.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return inserted;
    }
}
