namespace GradDescent.Storage.Schema;

/// <summary>
/// A configuration is one distinct <c>parameters</c> value (every parameter but the seed): its trials are the repeats
/// over seeds. Schema step 3 on both databases: the report views (<c>learning_rate_curve</c>, <c>trial_convergence</c>,
/// <c>optimizer_summary</c>, <c>spread_shapes</c>, <c>attack_success</c>) and the two small tables they read
/// (<c>experiment_goals</c>, <c>student_t_975</c>). The SQL is shared; only reading a value out of the JSON
/// <c>parameters</c> / <c>metrics</c> columns differs, so each provider passes its accessors.
/// </summary>
internal static class ReportViewsSql
{
    public const int Version = 3;

    public const string Description = "report views: learning_rate_curve, trial_convergence, optimizer_summary, spread_shapes, attack_success";

    /// <param name="textType">The provider's text column type.</param>
    /// <param name="realType">The provider's double column type.</param>
    /// <param name="jsonNumber">Formats a SQL expression reading number <c>{1}</c> from JSON column <c>{0}</c>.</param>
    public static string Build(string textType, string realType, Func<string, string, string> jsonNumber)
    {
        var quantiles = string.Join(",\n    ", Reports.StudentT.Table975.Select((t, i) => FormattableString.Invariant($"({i + 1}, {t:R})")));
        return string.Join(
            "\n\n",
            Tables(textType, realType, quantiles),
            LearningRateCurve(realType, fromTrialOptimum: false),
            TrialConvergence(materializedBest: true),
            OptimizerSummary(realType),
            Tail(realType, jsonNumber));
    }

    /// <summary>
    /// Schema step 4: <c>trial_convergence</c> again, its per-sweep best no longer materialised. PostgreSQL materialises a
    /// CTE used twice, so <c>WHERE sweep_id = @sweep</c> could not reach it and every report query aggregated the completed
    /// trials of every sweep in the database (the 30 s timeout of issue #11); inlined, it reads the one sweep's rows.
    /// <c>optimizer_summary</c> depends on it and is recreated unchanged.
    /// </summary>
    public const int NotMaterializedVersion = 4;

    public const string NotMaterializedDescription = "trial_convergence reads only the queried sweep (per-sweep best not materialised)";

    public static string BuildNotMaterialized(string realType) => string.Join(
        "\n\n",
        "DROP VIEW optimizer_summary;\nDROP VIEW trial_convergence;",
        TrialConvergence(materializedBest: false),
        OptimizerSummary(realType));

    private static string Tables(string textType, string realType, string quantiles) =>
        $$"""
            CREATE TABLE experiment_goals (
                experiment      {{textType}} NOT NULL PRIMARY KEY,
                primary_metric  {{textType}} NOT NULL,
                step_metric     {{textType}} NOT NULL,
                goal            {{textType}} NOT NULL CHECK (goal IN ('minimize', 'maximize')),
                goal_sign       integer NOT NULL CHECK (goal_sign IN (1, -1))
            );
            INSERT INTO experiment_goals (experiment, primary_metric, step_metric, goal, goal_sign) VALUES
                ('linear-regression', 'mse', 'loss', 'minimize', 1),
                ('vector-spread', 'min_angle_deg', 'min_angle_deg', 'maximize', -1),
                ('adversarial', 'target_probability', 'target_probability', 'maximize', -1);

            CREATE TABLE student_t_975 (
                df  integer NOT NULL PRIMARY KEY,
                t   {{realType}} NOT NULL
            );
            INSERT INTO student_t_975 (df, t) VALUES
                {{quantiles}};
            """;

    /// <param name="realType">The provider's double column type.</param>
    /// <param name="fromTrialOptimum">
    /// Schema step 3's text (trials joined with their goals) when false; true reads <c>trial_optimum</c> and adds the
    /// configuration's <c>pruned</c> and <c>converged</c> counts, <c>optimum</c> and <c>optimum_known</c> (step 9). A pruned
    /// trial (stopped early by ASHA or the median rule) counts among <c>trials</c> but has no value and never converges.
    /// </param>
    internal static string LearningRateCurve(string realType, bool fromTrialOptimum) =>
        $$"""
            CREATE VIEW learning_rate_curve AS
            WITH scored AS (
                {{(fromTrialOptimum ? ScoredFromTrialOptimum : ScoredFromTrials)}}
            ),
            ranked AS (
                SELECT s.*,
                       AVG(s.value) OVER (PARTITION BY s.sweep_id, s.parameters) AS group_mean,
                       COUNT(s.value) OVER (PARTITION BY s.sweep_id, s.parameters) AS group_n,
                       ROW_NUMBER() OVER (PARTITION BY s.sweep_id, s.parameters
                                          ORDER BY CASE WHEN s.value IS NULL THEN 1 ELSE 0 END, s.value) AS value_rank
                FROM scored AS s
            ),
            grouped AS (
                SELECT r.sweep_id, r.experiment, r.optimizer, r.learning_rate, r.parameters, r.goal, r.goal_sign,
                       COUNT(*) AS trials,
                       SUM(CASE WHEN r.status = 'completed' THEN 1 ELSE 0 END) AS completed,
                       SUM(CASE WHEN r.status = 'diverged' THEN 1 ELSE 0 END) AS diverged,
                       SUM(CASE WHEN r.status = 'failed' THEN 1 ELSE 0 END) AS failed,
                       COUNT(r.value) AS n,
                       AVG(r.value) AS mean,
                       CASE WHEN COUNT(r.value) > 1
                            THEN sqrt(SUM((r.value - r.group_mean) * (r.value - r.group_mean)) / (COUNT(r.value) - 1)) END AS stddev,
                       AVG(CASE WHEN r.value_rank IN ((r.group_n + 1) / 2, (r.group_n + 2) / 2) THEN r.value END) AS median,
                       MIN(r.value) AS min_value,
                       MAX(r.value) AS max_value,
                       SUM(r.duration_ms) AS duration_ms_sum,
                       AVG(r.duration_ms) AS mean_duration_ms{{(fromTrialOptimum ? OptimumAggregates : string.Empty)}}
                FROM ranked AS r
                GROUP BY r.sweep_id, r.experiment, r.optimizer, r.learning_rate, r.parameters, r.goal, r.goal_sign
            ),
            quantiled AS (
                SELECT g.*,
                       CASE WHEN g.n > 1 THEN COALESCE(q.t, CAST(
                           1.959963985 + (7.529257 + 1.959963985) / (4.0 * (g.n - 1))
                           + (5 * 28.922736 + 16 * 7.529257 + 3 * 1.959963985) / (96.0 * (g.n - 1) * (g.n - 1)) AS {{realType}})) END AS t975
                FROM grouped AS g
                LEFT JOIN student_t_975 AS q ON q.df = g.n - 1
            )
            SELECT sweep_id, experiment, optimizer, learning_rate, parameters, goal, goal_sign, trials, completed, diverged, failed,
                   n, mean, stddev, t975 * stddev / sqrt(CAST(n AS {{realType}})) AS ci95_half_width, median, min_value, max_value,
                   CASE WHEN goal_sign = 1 THEN min_value ELSE max_value END AS best_value,
                   duration_ms_sum, mean_duration_ms{{(fromTrialOptimum ? ", pruned, converged, optimum, optimum_known" : string.Empty)}}
            FROM quantiled;
            """;

    private const string ScoredFromTrials =
        "SELECT t.sweep_id, t.experiment, t.optimizer, t.learning_rate, t.parameters, t.status, t.duration_ms, g.goal, g.goal_sign,\n"
        + "           CASE WHEN t.status = 'completed' THEN t.primary_metric END AS value\n"
        + "    FROM trials AS t\n"
        + "    JOIN experiment_goals AS g ON g.experiment = t.experiment";

    private const string ScoredFromTrialOptimum =
        "SELECT o.sweep_id, o.experiment, o.optimizer, o.learning_rate, o.parameters, o.status, o.duration_ms, o.goal, o.goal_sign,\n"
        + "           o.converged, o.optimum, o.optimum_known,\n"
        + "           CASE WHEN o.status = 'completed' THEN o.primary_metric END AS value\n"
        + "    FROM trial_optimum AS o";

    private const string OptimumAggregates =
        ",\n"
        + "           SUM(CASE WHEN r.status = 'pruned' THEN 1 ELSE 0 END) AS pruned,\n"
        + "           SUM(r.converged) AS converged,\n"
        + "           AVG(r.optimum) AS optimum,\n"
        + "           MAX(r.optimum_known) AS optimum_known";

    /// <param name="materializedBest">Schema step 3's text (the CTE left to the planner); false adds <c>NOT MATERIALIZED</c>.</param>
    private static string TrialConvergence(bool materializedBest) =>
        $$"""
            CREATE VIEW trial_convergence AS
            WITH sweep_best AS {{(materializedBest ? string.Empty : "NOT MATERIALIZED ")}}(
                SELECT t.sweep_id, g.step_metric, g.goal_sign,
                       CASE WHEN g.goal_sign = 1 THEN MIN(t.primary_metric) ELSE MAX(t.primary_metric) END AS best
                FROM trials AS t
                JOIN experiment_goals AS g ON g.experiment = t.experiment
                WHERE t.status = 'completed'
                GROUP BY t.sweep_id, g.step_metric, g.goal_sign
            ),
            hits AS (
                SELECT v.sweep_id, v.trial_index, MIN(v.step) AS first_step
                FROM trial_step_values AS v
                JOIN sweep_best AS b ON b.sweep_id = v.sweep_id AND b.step_metric = v.metric
                WHERE (v.value - b.best) * b.goal_sign <= 0.01 * abs(b.best)
                GROUP BY v.sweep_id, v.trial_index
            )
            SELECT t.sweep_id, t.trial_index, t.experiment, t.optimizer, t.learning_rate, t.parameters, t.seed, t.status,
                   t.primary_metric, t.duration_ms, t.diverged_at_step, b.best AS sweep_best,
                   h.first_step AS iterations_to_1pct
            FROM trials AS t
            LEFT JOIN sweep_best AS b ON b.sweep_id = t.sweep_id
            LEFT JOIN hits AS h ON h.sweep_id = t.sweep_id AND h.trial_index = t.trial_index;
            """;

    /// <param name="realType">The provider's double column type.</param>
    /// <param name="byConvergence">
    /// False: steps 3 and 4's text (a grid point converged when every seed completed). True (step 9): when every seed
    /// converged (<c>learning_rate_curve.converged</c>: completed and within <see cref="Abstractions.Experiments.ComparisonRules.FarFactor"/> of the optimum).
    /// </param>
    internal static string OptimizerSummary(string realType, bool byConvergence = false) =>
        $$"""
            CREATE VIEW optimizer_summary AS
            WITH ranked_lr AS (
                SELECT c.*,
                       ROW_NUMBER() OVER (PARTITION BY c.sweep_id, c.optimizer
                                          ORDER BY CASE WHEN c.n = 0 THEN 1 ELSE 0 END,
                                                   CASE WHEN c.{{(byConvergence ? "converged" : "completed")}} < c.trials THEN 1 ELSE 0 END,
                                                   c.mean * c.goal_sign, c.learning_rate) AS lr_rank
                FROM learning_rate_curve AS c
            ),
            grid AS (
                SELECT sweep_id, optimizer,
                       COUNT(*) AS grid_points,
                       SUM(CASE WHEN {{(byConvergence ? "converged" : "completed")}} = trials THEN 1 ELSE 0 END) AS grid_converged,
                       SUM(CASE WHEN diverged > 0 THEN 1 ELSE 0 END) AS grid_diverged,
                       SUM(trials) AS trials,
                       SUM(duration_ms_sum) / SUM(trials) AS mean_duration_ms
                FROM learning_rate_curve
                GROUP BY sweep_id, optimizer
            ),
            reach AS (
                SELECT tc.sweep_id, tc.parameters,
                       AVG(tc.iterations_to_1pct) AS iterations_to_1pct,
                       COUNT(tc.iterations_to_1pct) AS seeds_within_1pct
                FROM trial_convergence AS tc
                WHERE tc.status = 'completed'
                GROUP BY tc.sweep_id, tc.parameters
            )
            SELECT b.sweep_id, b.experiment, b.optimizer, b.goal, b.goal_sign,
                   RANK() OVER (PARTITION BY b.sweep_id ORDER BY CASE WHEN b.n = 0 THEN 1 ELSE 0 END, b.mean * b.goal_sign) AS rank,
                   b.learning_rate AS best_learning_rate, b.parameters AS best_parameters, b.n, b.mean, b.stddev, b.ci95_half_width,
                   b.mean - b.ci95_half_width AS ci95_low, b.mean + b.ci95_half_width AS ci95_high,
                   b.median, b.best_value, r.iterations_to_1pct, COALESCE(r.seeds_within_1pct, 0) AS seeds_within_1pct,
                   g.grid_points, g.grid_converged, g.grid_diverged,
                   CAST(g.grid_converged AS {{realType}}) / g.grid_points AS converged_share,
                   CAST(g.grid_diverged AS {{realType}}) / g.grid_points AS diverged_share,
                   g.trials, g.mean_duration_ms
            FROM ranked_lr AS b
            JOIN grid AS g ON g.sweep_id = b.sweep_id AND g.optimizer = b.optimizer
            LEFT JOIN reach AS r ON r.sweep_id = b.sweep_id AND r.parameters = b.parameters
            WHERE b.lr_rank = 1;
            """;

    private static string Tail(string realType, Func<string, string, string> jsonNumber)
    {
        var vectors = jsonNumber("t.parameters", "vectors");
        var dims = jsonNumber("t.parameters", "dims");
        var step = jsonNumber("t.parameters", "step");
        var optimum = jsonNumber("t.metrics", "known_optimum_deg");
        var flipped = jsonNumber("t.metrics", "flipped");
        var flipAt = jsonNumber("t.metrics", "iterations_to_flip");
        return $$"""
            CREATE VIEW spread_shapes AS
            SELECT t.sweep_id,
                   CAST({{vectors}} AS integer) AS vectors,
                   CAST({{dims}} AS integer) AS dims,
                   COUNT(*) AS trials,
                   SUM(CASE WHEN t.status = 'completed' THEN 1 ELSE 0 END) AS completed,
                   MAX(CASE WHEN t.status = 'completed' THEN t.primary_metric END) AS best_min_angle_deg,
                   MAX({{optimum}}) AS known_optimum_deg,
                   MAX({{optimum}}) - MAX(CASE WHEN t.status = 'completed' THEN t.primary_metric END) AS gap_deg
            FROM trials AS t
            WHERE t.experiment = 'vector-spread'
            GROUP BY t.sweep_id, CAST({{vectors}} AS integer), CAST({{dims}} AS integer);

            CREATE VIEW attack_success AS
            SELECT t.sweep_id, t.optimizer, {{step}} AS step, t.learning_rate,
                   COUNT(*) AS trials,
                   SUM(CASE WHEN {{flipped}} = 1 THEN 1 ELSE 0 END) AS flipped,
                   CAST(SUM(CASE WHEN {{flipped}} = 1 THEN 1 ELSE 0 END) AS {{realType}}) / COUNT(*) AS success_rate,
                   AVG(CASE WHEN t.status = 'completed' THEN t.primary_metric END) AS mean_target_probability,
                   AVG({{flipAt}}) AS mean_iterations_to_flip
            FROM trials AS t
            WHERE t.experiment = 'adversarial'
            GROUP BY t.sweep_id, t.optimizer, {{step}}, t.learning_rate;
            """;
    }
}
