namespace GradDescent.Storage.Schema;

/// <summary>PostgreSQL schema steps. Never edit a released step: append a new one.</summary>
internal static class PostgresMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "sweeps, trials and trial_steps tables", """
            CREATE TABLE sweeps (
                id            text PRIMARY KEY,
                name          text NOT NULL,
                experiment    text NOT NULL,
                spec          text NOT NULL,
                spec_format   text NOT NULL,
                status        text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'cancelled', 'failed')),
                total_trials  bigint NOT NULL CHECK (total_trials >= 0),
                created_at    timestamptz NOT NULL,
                started_at    timestamptz NULL,
                finished_at   timestamptz NULL,
                error         text NULL
            );

            CREATE TABLE trials (
                sweep_id          text NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
                trial_index       bigint NOT NULL CHECK (trial_index >= 0),
                experiment        text NOT NULL,
                parameters        jsonb NOT NULL,
                optimizer         text NULL,
                learning_rate     double precision NULL,
                seed              integer NOT NULL,
                status            text NOT NULL CHECK (status IN ('completed', 'diverged', 'failed')),
                attempts          integer NOT NULL,
                worker_id         text NOT NULL,
                device            text NOT NULL,
                started_at        timestamptz NOT NULL,
                finished_at       timestamptz NOT NULL,
                duration_ms       double precision NOT NULL,
                metrics           jsonb NOT NULL,
                primary_metric    double precision NULL,
                diverged_at_step  integer NULL,
                error             text NULL,
                detail            jsonb NULL,
                PRIMARY KEY (sweep_id, trial_index)
            );

            CREATE TABLE trial_steps (
                sweep_id     text NOT NULL,
                trial_index  bigint NOT NULL,
                metric       text NOT NULL,
                step_values  real[] NOT NULL,
                PRIMARY KEY (sweep_id, trial_index, metric),
                FOREIGN KEY (sweep_id, trial_index) REFERENCES trials (sweep_id, trial_index) ON DELETE CASCADE
            );

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
                   (u.ordinality - 1)::integer AS step,
                   u.value::real AS value
            FROM trial_steps AS s
            CROSS JOIN LATERAL unnest(s.step_values) WITH ORDINALITY AS u (value, ordinality);
            """),
        new(ReportViewsSql.Version, ReportViewsSql.Description, ReportViewsSql.Build("text", "double precision", static (column, name) => $"CAST(({column} ->> '{name}') AS double precision)")),
        new(ReportViewsSql.NotMaterializedVersion, ReportViewsSql.NotMaterializedDescription, ReportViewsSql.BuildNotMaterialized("double precision")),
        new(SearchSchemaSql.Version, SearchSchemaSql.Description, SearchSchemaSql.Build(
            "text",
            "double precision",
            """
            ALTER TABLE trials DROP CONSTRAINT trials_status_check;
            ALTER TABLE trials ADD CONSTRAINT trials_status_check CHECK (status IN ('completed', 'diverged', 'failed', 'pruned'));
            """,
            static (json, key) => $"({json} ->> {key})",
            static (json, key) => $"jsonb_typeof({json} -> {key}) = 'number'")),
        new(SessionColumnsSql.Version, SessionColumnsSql.Description, SessionColumnsSql.Build("text", "timestamptz")),
        new(7, PausedStatusDescription, """
            ALTER TABLE sweeps DROP CONSTRAINT sweeps_status_check;
            ALTER TABLE sweeps ADD CONSTRAINT sweeps_status_check
                CHECK (status IN ('pending', 'running', 'paused', 'completed', 'cancelled', 'failed'));

            -- The dashboard's most common filter (optimizer, learning rate, primary metric) answered from one index,
            -- counts included; it covers every use of the index it replaces.
            CREATE INDEX ix_trials_sweep_optimizer_lr_metric ON trials (sweep_id, optimizer, learning_rate, primary_metric);
            DROP INDEX ix_trials_sweep_optimizer_lr;
            """),
        new(ArtifactTablesSql.Version, ArtifactTablesSql.Description, ArtifactTablesSql.Build("text", "bigint", "bytea", string.Empty)),
        new(OptimumViewsSql.Version, OptimumViewsSql.Description, OptimumViewsSql.Build(
            "text",
            "double precision",
            static (column, key) => $"CASE WHEN jsonb_typeof({column} -> {key}) = 'number' THEN CAST(({column} ->> {key}) AS double precision) END",
            static column => $"string_agg(COALESCE({column} ->> p.parameter, ''), '|' ORDER BY p.parameter)",
            static (text, real) => $"ALTER TABLE experiment_goals ADD COLUMN optimum_metric {text} NULL, ADD COLUMN tolerance {real} NOT NULL DEFAULT 0;")),
    ];

    /// <summary>Step 7 on both databases.</summary>
    public const string PausedStatusDescription = "sweep status 'paused'; trials index (sweep, optimizer, learning rate, primary metric)";
}
