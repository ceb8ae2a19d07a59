using System.Globalization;
using GradDescent.Abstractions.Experiments;

namespace GradDescent.Storage.Schema;

/// <summary>
/// Schema step 9 on both databases: convergence measured against the true optimum. <c>experiment_goals</c> gains
/// <c>optimum_metric</c> (the trial metric holding the known optimum, e.g. <c>exact_mse</c>) and <c>tolerance</c>, and
/// from now on is rewritten from the experiment catalog whenever the schema is ensured
/// (<see cref="ExperimentGoalsSync"/>), as is the new table <c>experiment_problem_parameters</c> (the parameters that
/// define a problem instance, e.g. vectors and dims). The new view <c>trial_optimum</c> gives every trial the optimum it is
/// measured against (the known one, else the best completed result of the same problem in the sweep) and whether it
/// converged (completed, and no more than <see cref="ComparisonRules.FarFactor"/> times worse than that optimum);
/// <c>learning_rate_curve</c>, <c>trial_convergence</c> and <c>optimizer_summary</c> are recreated on it.
/// </summary>
internal static class OptimumViewsSql
{
    public const int Version = 9;

    public const string Description = "convergence against the true optimum: experiment_goals.optimum_metric and tolerance, view trial_optimum; learning_rate_curve, trial_convergence, optimizer_summary recreated on it";

    /// <param name="textType">The provider's text column type.</param>
    /// <param name="realType">The provider's double column type.</param>
    /// <param name="jsonNumberByName">
    /// Formats a SQL expression reading the number whose key is the SQL expression <c>{1}</c> from JSON column <c>{0}</c>,
    /// null when absent or not a number.
    /// </param>
    /// <param name="problemKey">
    /// Formats a SQL expression joining the text values of the parameters named by column <c>p.parameter</c> of the
    /// correlated rows of <c>experiment_problem_parameters</c> (<c>{0}</c>: the parameters JSON column), with '|'.
    /// </param>
    /// <param name="alterGoals">The provider's statements adding the two columns to <c>experiment_goals</c>.</param>
    public static string Build(
        string textType, string realType, Func<string, string, string> jsonNumberByName, Func<string, string> problemKey, Func<string, string, string> alterGoals) =>
        string.Join(
            "\n\n",
            "DROP VIEW optimizer_summary;\nDROP VIEW trial_convergence;\nDROP VIEW learning_rate_curve;",
            alterGoals(textType, realType),
            $"""
            CREATE TABLE experiment_problem_parameters (
                experiment  {textType} NOT NULL,
                parameter   {textType} NOT NULL,
                PRIMARY KEY (experiment, parameter)
            );
            """,
            TrialOptimum(jsonNumberByName("t.metrics", "g.optimum_metric"), problemKey("t.parameters")),
            ReportViewsSql.LearningRateCurve(realType, fromTrialOptimum: true),
            TrialConvergence(),
            ReportViewsSql.OptimizerSummary(realType, byConvergence: true));

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string TrialOptimum(string knownOptimum, string problemKey) =>
        $$"""
            CREATE VIEW trial_optimum AS
            WITH known AS NOT MATERIALIZED (
                SELECT t.sweep_id, t.trial_index, t.experiment, t.optimizer, t.learning_rate, t.parameters, t.seed, t.status,
                       t.primary_metric, t.duration_ms, t.diverged_at_step, g.goal, g.goal_sign, g.step_metric, g.tolerance,
                       CASE WHEN g.optimum_metric IS NOT NULL THEN {{knownOptimum}} END AS known_optimum,
                       COALESCE((SELECT {{problemKey}} FROM experiment_problem_parameters AS p WHERE p.experiment = t.experiment), '') AS problem
                FROM trials AS t
                JOIN experiment_goals AS g ON g.experiment = t.experiment
            ),
            problem_best AS NOT MATERIALIZED (
                SELECT sweep_id, problem,
                       CASE WHEN goal_sign = 1 THEN MIN(primary_metric) ELSE MAX(primary_metric) END AS best
                FROM known
                WHERE status = 'completed'
                GROUP BY sweep_id, problem, goal_sign
            ),
            placed AS (
                SELECT k.*, b.best AS sweep_best, COALESCE(k.known_optimum, b.best) AS optimum
                FROM known AS k
                LEFT JOIN problem_best AS b ON b.sweep_id = k.sweep_id AND b.problem = k.problem
            )
            SELECT sweep_id, trial_index, experiment, optimizer, learning_rate, parameters, seed, status, primary_metric, duration_ms,
                   diverged_at_step, goal, goal_sign, step_metric, tolerance, problem, sweep_best, optimum,
                   CASE WHEN known_optimum IS NOT NULL THEN 1 ELSE 0 END AS optimum_known,
                   CASE WHEN status = 'completed' AND primary_metric IS NOT NULL AND optimum IS NOT NULL
                             AND (primary_metric - optimum) * goal_sign
                                 <= CASE WHEN goal_sign = 1 THEN {{Number(ComparisonRules.FarFactor - 1)}} ELSE {{Number(1 - (1 / ComparisonRules.FarFactor))}} END * abs(optimum)
                        THEN 1 ELSE 0 END AS converged
            FROM placed;
            """;

    private static string TrialConvergence() =>
        $$"""
            CREATE VIEW trial_convergence AS
            WITH hits AS (
                SELECT v.sweep_id, v.trial_index, MIN(v.step) AS first_step
                FROM trial_step_values AS v
                JOIN trial_optimum AS o ON o.sweep_id = v.sweep_id AND o.trial_index = v.trial_index AND o.step_metric = v.metric
                WHERE (v.value - o.optimum) * o.goal_sign <= {{Number(ComparisonRules.WithinFraction)}} * abs(o.optimum)
                GROUP BY v.sweep_id, v.trial_index
            )
            SELECT o.sweep_id, o.trial_index, o.experiment, o.optimizer, o.learning_rate, o.parameters, o.seed, o.status,
                   o.primary_metric, o.duration_ms, o.diverged_at_step, o.sweep_best,
                   h.first_step AS iterations_to_1pct, o.optimum, o.optimum_known, o.converged
            FROM trial_optimum AS o
            LEFT JOIN hits AS h ON h.sweep_id = o.sweep_id AND h.trial_index = o.trial_index;
            """;
}
