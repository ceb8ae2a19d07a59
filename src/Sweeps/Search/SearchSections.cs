using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// The search part of the spec parser: reads <c>search</c>, <c>early_stopping</c> and
/// <c>objectives</c> and checks how they combine with each other and with the rest of the spec
/// (<c>search</c> replaces <c>grid</c>/<c>random</c>; <c>repeats</c> and a second seed do not apply;
/// early stopping needs one objective that agrees with the experiment's step metric).
/// </summary>
internal static class SearchSections
{
    /// <summary>The top-level keys these sections add.</summary>
    public static readonly string[] Keys = ["search", "early_stopping", "objectives"];

    /// <summary>The search of the spec, or null when it has none or it is invalid (problems are reported).</summary>
    public static SweepSearch? Read(
        SpecReader reader,
        ExperimentDefinition experiment,
        SweepSpecLimits limits,
        YamlNode root,
        IReadOnlyDictionary<string, YamlNode> top,
        IReadOnlyDictionary<string, string> parameters,
        long seed,
        long? repeats)
    {
        var keys = KeyNodes(root);
        if (!top.TryGetValue("search", out var searchNode))
        {
            foreach (var key in new[] { "early_stopping", "objectives" }.Where(keys.ContainsKey))
            {
                reader.Diagnostics.Add(keys[key], key, "belongs to a search sweep: add a search: section (algorithm grid runs today's grid)");
            }

            return null;
        }

        foreach (var other in new[] { "grid", "random" }.Where(keys.ContainsKey))
        {
            reader.Diagnostics.Add(keys["search"], "search", $"search: and {other}: (line {keys[other].Start.Line}) are two ways to choose trials: keep one (search.algorithm grid or random does what they do)");
        }

        if (keys.ContainsKey("repeats") && repeats is not 1)
        {
            reader.Diagnostics.Add(top["repeats"], "repeats", "does not apply to a search sweep: each proposed point runs once, with seed 0");
        }

        var fixedNames = parameters.Keys.ToHashSet(StringComparer.Ordinal);
        var search = new SearchReader(reader, experiment, limits).Read(searchNode, fixedNames, top.GetValueOrDefault("seed"), seed);
        var objectives = ObjectivesReader.Default(experiment);
        if (top.TryGetValue("objectives", out var objectivesNode))
        {
            objectives = new ObjectivesReader(reader, experiment).Read(objectivesNode) ?? objectives;
        }

        EarlyStoppingSpec? stopping = null;
        if (search is not null && top.TryGetValue("early_stopping", out var stoppingNode))
        {
            stopping = new EarlyStoppingReader(reader, experiment).Read(stoppingNode, search, parameters, out var valid);
            if (valid && stopping is not null)
            {
                CheckStoppingObjective(reader, experiment, keys["early_stopping"], objectives);
            }
        }

        return search is null ? null : search with { EarlyStopping = stopping, Objectives = objectives };
    }

    /// <summary>Early stopping reads the experiment's step metric: one objective, optimised the same way.</summary>
    private static void CheckStoppingObjective(SpecReader reader, ExperimentDefinition experiment, YamlNode at, ImmutableArray<SweepObjective> objectives)
    {
        if (objectives.Length > 1)
        {
            reader.Diagnostics.Add(at, "early_stopping", $"needs a single objective, and objectives lists {objectives.Length}: a trial stopped early has no final value to place on a Pareto front");
            return;
        }

        var objective = objectives[0];
        if (objective.Goal != experiment.Goal)
        {
            reader.Diagnostics.Add(at, "early_stopping", $"reads the step series {experiment.StepMetric}, which is {ObjectivesReader.Goal(experiment.Goal)}d, but the objective {objective.Name} is {ObjectivesReader.Goal(objective.Goal)}d: the rule would stop the trials the search wants");
        }
    }

    private static Dictionary<string, YamlNode> KeyNodes(YamlNode root)
    {
        var keys = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (root is YamlMappingNode mapping)
        {
            foreach (var key in mapping.Children.Keys)
            {
                if (key is YamlScalarNode { Value: { } name })
                {
                    keys.TryAdd(name, key);
                }
            }
        }

        return keys;
    }
}
