namespace GradDescent.Storage.Schema;

/// <summary>SQLite schema steps, mirroring <see cref="PostgresMigrations"/>. Never edit a released step: append a new one.</summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "sweeps, trials and trial_steps tables", """
            CREATE TABLE sweeps (
                id            TEXT NOT NULL PRIMARY KEY,
                name          TEXT NOT NULL,
                experiment    TEXT NOT NULL,
                spec          TEXT NOT NULL,
                spec_format   TEXT NOT NULL,
                status        TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'cancelled', 'failed')),
                total_trials  INTEGER NOT NULL CHECK (total_trials >= 0),
                created_at    TEXT NOT NULL,
                started_at    TEXT NULL,
                finished_at   TEXT NULL,
                error         TEXT NULL
            );

            CREATE TABLE trials (
                sweep_id          TEXT NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
                trial_index       INTEGER NOT NULL CHECK (trial_index >= 0),
                experiment        TEXT NOT NULL,
                parameters        TEXT NOT NULL,
                optimizer         TEXT NULL,
                learning_rate     REAL NULL,
                seed              INTEGER NOT NULL,
                status            TEXT NOT NULL CHECK (status IN ('completed', 'diverged', 'failed')),
                attempts          INTEGER NOT NULL,
                worker_id         TEXT NOT NULL,
                device            TEXT NOT NULL,
                started_at        TEXT NOT NULL,
                finished_at       TEXT NOT NULL,
                duration_ms       REAL NOT NULL,
                metrics           TEXT NOT NULL,
                primary_metric    REAL NULL,
                diverged_at_step  INTEGER NULL,
                error             TEXT NULL,
                detail            TEXT NULL,
                PRIMARY KEY (sweep_id, trial_index)
            ) WITHOUT ROWID;

            CREATE TABLE trial_steps (
                sweep_id     TEXT NOT NULL,
                trial_index  INTEGER NOT NULL,
                metric       TEXT NOT NULL,
                step_values  TEXT NOT NULL,
                PRIMARY KEY (sweep_id, trial_index, metric),
                FOREIGN KEY (sweep_id, trial_index) REFERENCES trials (sweep_id, trial_index) ON DELETE CASCADE
            ) WITHOUT ROWID;

            CREATE INDEX ix_trials_sweep_status ON trials (sweep_id, status);
            """),
        new(2, "report indexes and the trial_step_values view", """
            CREATE INDEX ix_trials_sweep_optimizer_lr ON trials (sweep_id, optimizer, learning_rate);
            CREATE INDEX ix_trials_sweep_primary_metric ON trials (sweep_id, primary_metric);
            CREATE INDEX ix_sweeps_created_at ON sweeps (created_at);

            CREATE VIEW trial_step_values AS
            SELECT s.sweep_id,
                   s.trial_index,
                   s.metric,
                   CAST(j.key AS INTEGER) AS step,
                   j.value AS value
            FROM trial_steps AS s, json_each(s.step_values) AS j;
            """),
        new(ReportViewsSql.Version, ReportViewsSql.Description, ReportViewsSql.Build("TEXT", "REAL", static (column, name) => $"CAST(json_extract({column}, '$.{name}') AS REAL)")),
        new(ReportViewsSql.NotMaterializedVersion, ReportViewsSql.NotMaterializedDescription, ReportViewsSql.BuildNotMaterialized("REAL")),
        new(ArtifactTablesSql.Version, ArtifactTablesSql.Description, ArtifactTablesSql.Build("TEXT", "INTEGER", "BLOB", " WITHOUT ROWID")),
        new(OptimumViewsSql.Version, OptimumViewsSql.Description, OptimumViewsSql.Build(
            "TEXT",
            "REAL",
            static (column, key) => $"CASE WHEN json_type({column}, '$.' || {key}) IN ('integer', 'real') THEN CAST(json_extract({column}, '$.' || {key}) AS REAL) END",
            static column => $"group_concat(COALESCE(json_extract({column}, '$.' || p.parameter), ''), '|')",
            static (text, real) => $"ALTER TABLE experiment_goals ADD COLUMN optimum_metric {text} NULL;\nALTER TABLE experiment_goals ADD COLUMN tolerance {real} NOT NULL DEFAULT 0;")),
    ];
}
