using Microsoft.Data.Sqlite;

namespace GradDescent.Storage.Providers;

/// <summary>
/// Bulk result writes on SQLite: prepared <c>INSERT OR IGNORE</c> per trial inside the caller's transaction;
/// a trial's steps and artefacts are inserted only when its row was new (artefact content once per sweep and hash).
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

    private const string InsertContentSql =
        "INSERT OR IGNORE INTO sweep_artifacts (sweep_id, sha256, size, content) VALUES ($sweep_id, $sha256, $size, $content)";

    private const string InsertArtifactSql =
        "INSERT INTO trial_artifacts (sweep_id, trial_index, name, media_type, sha256) VALUES ($sweep_id, $trial_index, $name, $media_type, $sha256)";

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
        await using var artifacts = rows.Any(r => r.Artifacts.Count > 0) ? new ArtifactInserts(connection, transaction) : null;

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

            foreach (var artifact in row.Artifacts)
            {
                await artifacts!.InsertAsync(t.SweepId, t.TrialIndex, artifact, cancellationToken).ConfigureAwait(false);
            }
        }

        return inserted;
    }

    /// <summary>The two prepared artefact inserts, made only for batches that carry artefacts.</summary>
    private sealed class ArtifactInserts : IAsyncDisposable
    {
        private readonly SqliteCommand content;
        private readonly SqliteCommand reference;

        public ArtifactInserts(SqliteConnection connection, SqliteTransaction transaction)
        {
            content = new SqliteCommand(InsertContentSql, connection, transaction);
            foreach (var name in new[] { "$sweep_id", "$sha256", "$size", "$content" })
            {
                content.Parameters.Add(new SqliteParameter(name, null));
            }

            reference = new SqliteCommand(InsertArtifactSql, connection, transaction);
            foreach (var name in new[] { "$sweep_id", "$trial_index", "$name", "$media_type", "$sha256" })
            {
                reference.Parameters.Add(new SqliteParameter(name, null));
            }

            content.Prepare();
            reference.Prepare();
        }

        public async Task InsertAsync(string sweepId, long trialIndex, ArtifactRow artifact, CancellationToken cancellationToken)
        {
            if (artifact.Content is { } bytes)
            {
                content.Parameters["$sweep_id"].Value = sweepId;
                content.Parameters["$sha256"].Value = artifact.Sha256;
                content.Parameters["$size"].Value = bytes.LongLength;
                content.Parameters["$content"].Value = bytes;
                await content.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            reference.Parameters["$sweep_id"].Value = sweepId;
            reference.Parameters["$trial_index"].Value = trialIndex;
            reference.Parameters["$name"].Value = artifact.Name;
            reference.Parameters["$media_type"].Value = artifact.MediaType;
            reference.Parameters["$sha256"].Value = artifact.Sha256;
            await reference.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await content.DisposeAsync().ConfigureAwait(false);
            await reference.DisposeAsync().ConfigureAwait(false);
        }
    }
}
