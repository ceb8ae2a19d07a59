using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Search;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// Reads <c>early_stopping</c>: <c>algorithm</c> (asha, median or none), <c>metric_step</c>,
/// <c>min_iterations</c>, and <c>reduction_factor</c> (ASHA) or <c>startup_trials</c> (median). Early
/// stopping needs the experiment's integer <c>iterations</c> parameter (every experiment has one) and
/// trials that run past <c>min_iterations</c>.
/// </summary>
internal sealed class EarlyStoppingReader(SpecReader reader, ExperimentDefinition experiment)
{
    /// <summary>The parameter every experiment counts its updates with.</summary>
    public const string IterationsParameter = "iterations";

    public const int DefaultReductionFactor = 3;

    public const int DefaultStartupTrials = 5;

    private const string Section = "early_stopping";

    private static readonly string[] Keys = ["algorithm", "metric_step", "min_iterations", "reduction_factor", "startup_trials"];

    /// <summary>The section, or null for <c>algorithm: none</c> or after reporting a problem (then <paramref name="valid"/> is false).</summary>
    public EarlyStoppingSpec? Read(YamlNode node, SweepSearch search, IReadOnlyDictionary<string, string> fixedParameters, out bool valid)
    {
        valid = false;
        var entries = reader.Entries(node, Section, Keys);
        if (entries is null)
        {
            return null;
        }

        var top = entries.ToDictionary(e => e.Key, e => (e.KeyNode, e.Value), StringComparer.Ordinal);
        if (!top.TryGetValue("algorithm", out var algorithmEntry))
        {
            reader.Diagnostics.Add(node, Section, "needs algorithm (asha, median or none)");
            return null;
        }

        var name = reader.Text(algorithmEntry.Value, "early_stopping.algorithm");
        EarlyStoppingRule? rule = name switch
        {
            "asha" => EarlyStoppingRule.Asha,
            "median" => EarlyStoppingRule.Median,
            _ => null,
        };
        if (name is null)
        {
            return null;
        }

        if (name == "none")
        {
            foreach (var (key, keyNode, _) in entries.Where(e => e.Key != "algorithm"))
            {
                reader.Diagnostics.Add(keyNode, SpecReader.Join(Section, key), "has no effect with algorithm none: leave it out");
            }

            valid = entries.Count == 1;
            return null;
        }

        if (rule is null)
        {
            reader.Diagnostics.Add(algorithmEntry.Value, "early_stopping.algorithm", $"unknown value '{name}' (expected one of asha, median, none)");
            return null;
        }

        if (!experiment.SupportsEarlyStopping)
        {
            reader.Diagnostics.Add(algorithmEntry.Value, "early_stopping.algorithm", $"experiment '{experiment.Name}' cannot stop trials inside a running batch yet (docs/search.md, Status); use none");
        }

        ReportOnly(top, "reduction_factor", rule == EarlyStoppingRule.Asha, "asha");
        ReportOnly(top, "startup_trials", rule == EarlyStoppingRule.Median, "median");
        var metricStep = Optional(top, "metric_step", 1, 1);
        var minIterations = Optional(top, "min_iterations", 1, metricStep ?? 1);
        var reduction = rule == EarlyStoppingRule.Asha ? Optional(top, "reduction_factor", 2, DefaultReductionFactor) : 0;
        var startup = rule == EarlyStoppingRule.Median ? Optional(top, "startup_trials", 0, DefaultStartupTrials) : 0;
        if (metricStep is null || minIterations is null || reduction is null || startup is null)
        {
            return null;
        }

        var iterations = experiment.Find(IterationsParameter);
        if (iterations is not { Kind: ParameterKind.Integer })
        {
            reader.Diagnostics.Add(algorithmEntry.Value, "early_stopping.algorithm", $"experiment '{experiment.Name}' has no integer iterations parameter to stop early on");
            return null;
        }

        var most = MostIterations(iterations, search, fixedParameters);
        var first = (minIterations.Value + metricStep.Value - 1) / metricStep.Value * metricStep.Value;
        if (first >= most)
        {
            var at = top.TryGetValue("min_iterations", out var minEntry) ? minEntry.Value : top.TryGetValue("metric_step", out var stepEntry) ? stepEntry.Value : node;
            reader.Diagnostics.Add(at, top.ContainsKey("min_iterations") ? "early_stopping.min_iterations" : Section,
                $"the first check is at iteration {first}, but no trial runs more than {most} iterations, so nothing would ever stop: lower min_iterations or metric_step");
            return null;
        }

        valid = true;
        return new EarlyStoppingSpec(rule.Value, experiment.StepMetric, metricStep.Value, minIterations.Value, reduction.Value, startup.Value);
    }

    /// <summary>The most iterations any trial can run: the fixed value, the space's upper bound, or the default.</summary>
    private static long MostIterations(ParameterDefinition iterations, SweepSearch search, IReadOnlyDictionary<string, string> fixedParameters)
    {
        if (fixedParameters.TryGetValue(iterations.Name, out var text))
        {
            return long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }

        var dimension = search.Space.FirstOrDefault(d => d.Name == iterations.Name);
        if (dimension is not null)
        {
            return dimension.Draw.Distribution == RandomDistribution.Choice
                ? dimension.Draw.Choices.Max(c => long.Parse(c, System.Globalization.CultureInfo.InvariantCulture))
                : (long)dimension.Draw.High;
        }

        return iterations.Default is { } fallback ? long.Parse(fallback, System.Globalization.CultureInfo.InvariantCulture) : long.MaxValue;
    }

    private void ReportOnly(Dictionary<string, (YamlScalarNode KeyNode, YamlNode Value)> top, string key, bool applies, string algorithm)
    {
        if (!applies && top.TryGetValue(key, out var entry))
        {
            reader.Diagnostics.Add(entry.KeyNode, SpecReader.Join(Section, key), $"applies to algorithm {algorithm} only");
        }
    }

    private int? Optional(Dictionary<string, (YamlScalarNode KeyNode, YamlNode Value)> top, string key, long min, int fallback) =>
        top.TryGetValue(key, out var entry) ? (int?)reader.Integer(entry.Value, SpecReader.Join(Section, key), min, int.MaxValue) : fallback;
}
