using System.Data.Common;
using System.Globalization;
using GradDescent.Abstractions.Experiments;

namespace GradDescent.Storage.Schema;

/// <summary>
/// Keeps the tables <c>experiment_goals</c> and <c>experiment_problem_parameters</c>, which the report views join, equal
/// to the experiment catalog: rewritten inside the schema transaction whenever the schema is ensured (from step
/// <see cref="OptimumViewsSql.Version"/> on) and their rows differ from the catalog's. Adding an experiment to
/// <see cref="ExperimentCatalog"/> is thus all it takes for the views to rank it; the catalog is the one place its metric,
/// goal, optimum and problem parameters are written down.
/// </summary>
internal static class ExperimentGoalsSync
{
    /// <returns>Whether the table was rewritten.</returns>
    public static async Task<bool> ApplyAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<ExperimentDefinition> catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var wanted = catalog.Select(Row)
            .Concat(catalog.SelectMany(e => e.ProblemParameters.Select(p => ProblemRow(e.Name, p))))
            .OrderBy(r => r, StringComparer.Ordinal).ToList();
        var stored = new List<string>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT experiment, primary_metric, step_metric, goal, goal_sign, optimum_metric, tolerance FROM experiment_goals";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored.Add(Row(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    Convert.ToDouble(reader.GetValue(6), CultureInfo.InvariantCulture)));
            }
        }

        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT experiment, parameter FROM experiment_problem_parameters";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored.Add(ProblemRow(reader.GetString(0), reader.GetString(1)));
            }
        }

        if (stored.Order(StringComparer.Ordinal).SequenceEqual(wanted, StringComparer.Ordinal))
        {
            return false;
        }

        await using (var clear = connection.CreateCommand())
        {
            clear.Transaction = transaction;
            clear.CommandText = "DELETE FROM experiment_goals;\nDELETE FROM experiment_problem_parameters;";
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var experiment in catalog)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO experiment_goals (experiment, primary_metric, step_metric, goal, goal_sign, optimum_metric, tolerance)
                VALUES (@experiment, @primary, @step, @goal, @sign, @optimum, @tolerance)
                """;
            Add(insert, "@experiment", experiment.Name);
            Add(insert, "@primary", experiment.PrimaryMetric);
            Add(insert, "@step", experiment.StepMetric);
            Add(insert, "@goal", GoalText(experiment.Goal));
            Add(insert, "@sign", GoalSign(experiment.Goal));
            Add(insert, "@optimum", (object?)experiment.OptimumMetric ?? DBNull.Value);
            Add(insert, "@tolerance", experiment.EquivalenceTolerance);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            foreach (var parameter in experiment.ProblemParameters.Distinct(StringComparer.Ordinal))
            {
                await using var problem = connection.CreateCommand();
                problem.Transaction = transaction;
                problem.CommandText = "INSERT INTO experiment_problem_parameters (experiment, parameter) VALUES (@experiment, @parameter)";
                Add(problem, "@experiment", experiment.Name);
                Add(problem, "@parameter", parameter);
                await problem.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    public static string GoalText(MetricGoal goal) => goal == MetricGoal.Minimize ? "minimize" : "maximize";

    public static int GoalSign(MetricGoal goal) => goal == MetricGoal.Minimize ? 1 : -1;

    private static string Row(ExperimentDefinition e) =>
        Row(e.Name, e.PrimaryMetric, e.StepMetric, GoalText(e.Goal), GoalSign(e.Goal), e.OptimumMetric, e.EquivalenceTolerance);

    private static string Row(string experiment, string primary, string step, string goal, int sign, string? optimum, double tolerance) =>
        string.Join('|', experiment, primary, step, goal, sign.ToString(CultureInfo.InvariantCulture), optimum ?? "", tolerance.ToString("R", CultureInfo.InvariantCulture));

    private static string ProblemRow(string experiment, string parameter) => $"problem|{experiment}|{parameter}";

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
