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

        // SQLite cannot alter a CHECK constraint, and rebuilding trials would need foreign keys off (dropping it would
        // cascade-delete every step series), which cannot change inside the migration's transaction. Widening the IN list
        // is the case SQLite's documentation allows editing the stored table definition for
        // (https://sqlite.org/lang_altertable.html, "making other kinds of table schema changes"): every stored row still
        // satisfies the new constraint. RESET makes this connection re-read the schema; the throw-away table bumps the
        // schema cookie so other connections re-read it too.
        new(SearchSchemaSql.Version, SearchSchemaSql.Description, SearchSchemaSql.Build(
            "TEXT",
            "REAL",
            """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master
            SET sql = replace(sql, '''diverged'', ''failed''', '''diverged'', ''failed'', ''pruned''')
            WHERE type = 'table' AND name = 'trials';
            PRAGMA writable_schema = RESET;
            CREATE TABLE schema_cookie_bump_5 (x INTEGER);
            DROP TABLE schema_cookie_bump_5;
            """,
            static (json, key) => $"json_extract({json}, '$.\"' || {key} || '\"')",
            static (json, key) => $"json_type({json}, '$.\"' || {key} || '\"') IN ('integer', 'real')")),
        new(SessionColumnsSql.Version, SessionColumnsSql.Description, SessionColumnsSql.Build("TEXT", "TEXT")),

        // SQLite cannot alter a CHECK constraint, and rebuilding sweeps would cascade-delete every trial (foreign
        // keys are on). Widening the IN list is the case SQLite's own documentation allows editing the stored table
        // definition for (https://sqlite.org/lang_altertable.html, "making other kinds of table schema changes"):
        // every stored row still satisfies the new constraint. RESET makes this connection re-read the schema; the
        // throw-away table bumps the schema cookie so other connections re-read it too.
        new(7, PostgresMigrations.PausedStatusDescription, """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master
            SET sql = replace(sql, '''running'', ''completed''', '''running'', ''paused'', ''completed''')
            WHERE type = 'table' AND name = 'sweeps';
            PRAGMA writable_schema = RESET;
            CREATE TABLE schema_cookie_bump (x INTEGER);
            DROP TABLE schema_cookie_bump;

            -- The dashboard's most common filter (optimizer, learning rate, primary metric) answered from one index,
            -- counts included; it covers every use of the index it replaces.
            CREATE INDEX ix_trials_sweep_optimizer_lr_metric ON trials (sweep_id, optimizer, learning_rate, primary_metric);
            DROP INDEX ix_trials_sweep_optimizer_lr;
            """),
        new(ArtifactTablesSql.Version, ArtifactTablesSql.Description, ArtifactTablesSql.Build("TEXT", "INTEGER", "BLOB", " WITHOUT ROWID")),
        new(OptimumViewsSql.Version, OptimumViewsSql.Description, OptimumViewsSql.Build(
            "TEXT",
            "REAL",
            static (column, key) => $"CASE WHEN json_type({column}, '$.' || {key}) IN ('integer', 'real') THEN CAST(json_extract({column}, '$.' || {key}) AS REAL) END",
            static column => $"group_concat(COALESCE(json_extract({column}, '$.' || p.parameter), ''), '|')",
            static (text, real) => $"ALTER TABLE experiment_goals ADD COLUMN optimum_metric {text} NULL;\nALTER TABLE experiment_goals ADD COLUMN tolerance {real} NOT NULL DEFAULT 0;")),
    ];
}
