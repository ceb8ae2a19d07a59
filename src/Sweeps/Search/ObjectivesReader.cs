using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// Reads <c>objectives</c>: a list of <c>{metric, goal}</c> (and optionally <c>reach</c>), each a metric
/// the experiment reports. Without the section the objective is the experiment's primary metric and goal.
/// </summary>
internal sealed class ObjectivesReader(SpecReader reader, ExperimentDefinition experiment)
{
    /// <summary>Hypervolume work grows fast with the number of objectives.</summary>
    public const int MaxObjectives = 4;

    private const string Section = "objectives";

    private static readonly string[] Keys = ["metric", "goal", "reach"];

    /// <summary>The experiment's primary metric and goal.</summary>
    public static ImmutableArray<SweepObjective> Default(ExperimentDefinition experiment) => [new(experiment.PrimaryMetric, experiment.Goal, null)];

    public ImmutableArray<SweepObjective>? Read(YamlNode node)
    {
        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            reader.Diagnostics.Add(node, Section, $"expected a non-empty list such as [{{metric: {experiment.PrimaryMetric}, goal: {Goal(experiment.Goal)}}}], got {YamlScalar.Describe(node)}");
            return null;
        }

        if (list.Children.Count > MaxObjectives)
        {
            reader.Diagnostics.Add(list.Children[MaxObjectives], Section, $"at most {MaxObjectives} objectives");
            return null;
        }

        var objectives = ImmutableArray.CreateBuilder<SweepObjective>(list.Children.Count);
        var valid = true;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var objective = ReadObjective(list.Children[i], $"{Section}[{i}]");
            if (objective is null)
            {
                valid = false;
            }
            else if (objectives.Any(o => o.Name == objective.Name))
            {
                reader.Diagnostics.Add(list.Children[i], $"{Section}[{i}]", $"'{objective.Name}' is listed twice");
                valid = false;
            }
            else
            {
                objectives.Add(objective);
            }
        }

        return valid ? objectives.ToImmutable() : null;
    }

    private SweepObjective? ReadObjective(YamlNode node, string path)
    {
        var entries = reader.Entries(node, path, Keys);
        if (entries is null)
        {
            return null;
        }

        var top = entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        if (!top.TryGetValue("metric", out var metricNode))
        {
            reader.Diagnostics.Add(node, path, "needs metric");
            return null;
        }

        var metric = reader.Text(metricNode, SpecReader.Join(path, "metric"));
        double? reach = null;
        if (top.TryGetValue("reach", out var reachNode))
        {
            reach = reader.Number(reachNode, SpecReader.Join(path, "reach"));
            if (reach is null)
            {
                return null;
            }

            if (reach <= 0 || reach > 1)
            {
                reader.Diagnostics.Add(reachNode, SpecReader.Join(path, "reach"), $"{reach} is out of range: a fraction in (0, 1], e.g. 0.99 for 'iterations to reach 99% of the final value'");
                return null;
            }
        }

        if (metric is null)
        {
            return null;
        }

        var known = reach is null ? experiment.FinalMetrics : experiment.StepMetrics;
        if (!known.Contains(metric, StringComparer.Ordinal))
        {
            reader.Diagnostics.Add(metricNode, SpecReader.Join(path, "metric"), reach is null
                ? $"'{metric}' is not a final metric of experiment '{experiment.Name}' (known: {string.Join(", ", known)})"
                : $"'{metric}' is not a step series of experiment '{experiment.Name}', which reach needs (known: {string.Join(", ", known)})");
            return null;
        }

        var goalPath = SpecReader.Join(path, "goal");
        MetricGoal goal;
        if (top.TryGetValue("goal", out var goalNode))
        {
            var text = reader.Text(goalNode, goalPath);
            if (text is not ("minimize" or "maximize"))
            {
                if (text is not null)
                {
                    reader.Diagnostics.Add(goalNode, goalPath, $"unknown value '{text}' (expected minimize or maximize)");
                }

                return null;
            }

            goal = text == "minimize" ? MetricGoal.Minimize : MetricGoal.Maximize;
            if (reach is not null && goal == MetricGoal.Maximize)
            {
                reader.Diagnostics.Add(goalNode, goalPath, "iterations to reach a value are minimized");
                return null;
            }
        }
        else if (reach is not null)
        {
            goal = MetricGoal.Minimize;
        }
        else if (metric == experiment.PrimaryMetric)
        {
            goal = experiment.Goal;
        }
        else
        {
            reader.Diagnostics.Add(node, path, $"needs goal (minimize or maximize) for '{metric}'; only the primary metric {experiment.PrimaryMetric} has a default");
            return null;
        }

        return new SweepObjective(metric, goal, reach);
    }

    public static string Goal(MetricGoal goal) => goal == MetricGoal.Minimize ? "minimize" : "maximize";
}
