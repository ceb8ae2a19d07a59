namespace GradDescent.Storage.Schema;

/// <summary>
/// Schema step 5 on both databases, for search sweeps (docs/search.md): the trial status <c>pruned</c> (a trial stopped
/// early by ASHA or the median rule), the table <c>sweep_objectives</c> (what a sweep optimises, written by its sweep
/// grain), and the views <c>trial_objectives</c> (each completed trial's objective values, long form) and
/// <c>pareto_front</c> (per sweep, the completed trials no other completed trial dominates). The view SQL is shared;
/// only reading a number out of the JSON <c>metrics</c> column by a key held in a column differs.
/// </summary>
internal static class SearchSchemaSql
{
    public const int Version = 5;

    public const string Description = "trial status 'pruned'; sweep_objectives; views trial_objectives and pareto_front";

    /// <summary>Most objectives a spec may name (docs/search.md): the columns of <c>pareto_front</c>.</summary>
    public const int MaxObjectives = 4;

    /// <param name="textType">The provider's text column type.</param>
    /// <param name="realType">The provider's double column type.</param>
    /// <param name="widenStatus">Statements that add <c>pruned</c> to the CHECK of <c>trials.status</c>.</param>
    /// <param name="metricNumber">A SQL expression reading the metric named by column <c>{1}</c> from JSON column <c>{0}</c> as a number.</param>
    /// <param name="metricIsNumber">A SQL condition: the metric named by column <c>{1}</c> of JSON column <c>{0}</c> is a JSON number (finite).</param>
    public static string Build(
        string textType, string realType, string widenStatus, Func<string, string, string> metricNumber, Func<string, string, string> metricIsNumber)
    {
        var columns = string.Join(
            ",\n       ",
            Enumerable.Range(1, MaxObjectives).Select(i =>
                $"MAX(CASE WHEN v.position = {i} THEN v.objective END) AS objective_{i}, MAX(CASE WHEN v.position = {i} THEN v.value END) AS value_{i}"));
        return $$"""
            {{widenStatus}}

            CREATE TABLE sweep_objectives (
                sweep_id   {{textType}} NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
                position   integer NOT NULL CHECK (position BETWEEN 1 AND {{MaxObjectives}}),
                name       {{textType}} NOT NULL,
                goal       {{textType}} NOT NULL CHECK (goal IN ('minimize', 'maximize')),
                goal_sign  integer NOT NULL CHECK (goal_sign IN (1, -1)),
                PRIMARY KEY (sweep_id, position)
            );

            CREATE VIEW trial_objectives AS
            SELECT t.sweep_id, t.trial_index, o.position, o.name AS objective, o.goal, o.goal_sign,
                   CAST({{metricNumber("t.metrics", "o.name")}} AS {{realType}}) AS value
            FROM trials AS t
            JOIN sweep_objectives AS o ON o.sweep_id = t.sweep_id
            WHERE t.status = 'completed' AND {{metricIsNumber("t.metrics", "o.name")}};

            CREATE VIEW pareto_front AS
            WITH counted AS NOT MATERIALIZED (
                SELECT sweep_id, COUNT(*) AS objectives FROM sweep_objectives GROUP BY sweep_id
            ),
            scored AS NOT MATERIALIZED (
                SELECT v.sweep_id, v.trial_index, v.position, v.value * v.goal_sign AS oriented
                FROM trial_objectives AS v
            ),
            complete AS NOT MATERIALIZED (
                SELECT s.sweep_id, s.trial_index, c.objectives
                FROM scored AS s
                JOIN counted AS c ON c.sweep_id = s.sweep_id
                GROUP BY s.sweep_id, s.trial_index, c.objectives
                HAVING COUNT(*) = c.objectives
            )
            SELECT t.sweep_id, t.trial_index, t.optimizer, t.learning_rate, t.parameters, t.primary_metric,
                   {{columns}}
            FROM complete AS k
            JOIN trials AS t ON t.sweep_id = k.sweep_id AND t.trial_index = k.trial_index
            JOIN trial_objectives AS v ON v.sweep_id = k.sweep_id AND v.trial_index = k.trial_index
            WHERE NOT EXISTS (
                -- another complete trial b no worse on every objective and better on one
                SELECT 1
                FROM scored AS a
                JOIN scored AS b ON b.sweep_id = a.sweep_id AND b.position = a.position AND b.trial_index <> a.trial_index
                JOIN complete AS cb ON cb.sweep_id = b.sweep_id AND cb.trial_index = b.trial_index
                WHERE a.sweep_id = k.sweep_id AND a.trial_index = k.trial_index
                GROUP BY b.trial_index
                HAVING SUM(CASE WHEN b.oriented <= a.oriented THEN 1 ELSE 0 END) = k.objectives
                   AND SUM(CASE WHEN b.oriented < a.oriented THEN 1 ELSE 0 END) > 0)
            GROUP BY t.sweep_id, t.trial_index, t.optimizer, t.learning_rate, t.parameters, t.primary_metric;
            """;
    }
}
