using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// Reads the <c>search</c> mapping: algorithm, budget, batch, seed, space and the TPE knobs. The
/// <c>early_stopping</c> and <c>objectives</c> sections are read by their own readers and joined in
/// <see cref="SearchSections"/>.
/// </summary>
internal sealed class SearchReader(SpecReader reader, ExperimentDefinition experiment, SweepSpecLimits limits)
{
    public const int DefaultBatch = 32;

    private const string Section = "search";

    private static readonly string[] Keys =
        ["algorithm", "trials", "batch", "seed", "space", "parallel_batches", "liar", "startup_trials", "candidates"];

    private static readonly string[] TpeOnlyKeys = ["liar", "startup_trials", "candidates"];

    private static readonly Dictionary<string, SearchAlgorithm> Algorithms = new(StringComparer.Ordinal)
    {
        ["tpe"] = SearchAlgorithm.Tpe,
        ["random"] = SearchAlgorithm.Random,
        ["grid"] = SearchAlgorithm.Grid,
        ["nsga2"] = SearchAlgorithm.Nsga2,
    };

    private static readonly Dictionary<string, ConstantLiar> Liars = new(StringComparer.Ordinal)
    {
        ["worst"] = ConstantLiar.Worst,
        ["mean"] = ConstantLiar.Mean,
        ["best"] = ConstantLiar.Best,
    };

    /// <summary>The search section, without early stopping and objectives; null after reporting a problem.</summary>
    /// <param name="topSeed">The top-level <c>seed</c> node, if any: the default of <c>search.seed</c>.</param>
    public SweepSearch? Read(YamlNode node, IReadOnlySet<string> fixedNames, YamlNode? topSeed, long topSeedValue)
    {
        var entries = reader.Entries(node, Section, Keys);
        if (entries is null)
        {
            return null;
        }

        var top = entries.ToDictionary(e => e.Key, e => (e.KeyNode, e.Value), StringComparer.Ordinal);
        var algorithm = top.TryGetValue("algorithm", out var algorithmEntry) ? ReadChoice(algorithmEntry.Value, "search.algorithm", Algorithms) : SearchAlgorithm.Tpe;
        if (algorithm is null)
        {
            return null;
        }

        foreach (var key in TpeOnlyKeys)
        {
            if (algorithm != SearchAlgorithm.Tpe && top.TryGetValue(key, out var tpeOnly))
            {
                reader.Diagnostics.Add(tpeOnly.KeyNode, SpecReader.Join(Section, key), $"applies to algorithm tpe only, not {Name(algorithm.Value)}");
            }
        }

        if (!top.TryGetValue("space", out var spaceEntry))
        {
            reader.Diagnostics.Add(node, Section, "needs space (the parameters to search and their distributions)");
            return null;
        }

        var space = new SearchSpaceReader(reader, experiment, limits).Read(spaceEntry.Value, fixedNames, algorithm.Value);
        var maxTrials = (int)Math.Min(limits.MaxTrials, int.MaxValue);
        int? trials = top.TryGetValue("trials", out var trialsEntry) ? (int?)reader.Integer(trialsEntry.Value, "search.trials", 1, maxTrials) : null;
        int? batch = top.TryGetValue("batch", out var batchEntry) ? (int?)reader.Integer(batchEntry.Value, "search.batch", 1, int.MaxValue) : null;
        var parallel = top.TryGetValue("parallel_batches", out var parallelEntry) ? (int?)reader.Integer(parallelEntry.Value, "search.parallel_batches", 1, int.MaxValue) : 1;
        long? seed = topSeedValue;
        if (top.TryGetValue("seed", out var seedEntry))
        {
            if (topSeed is not null)
            {
                reader.Diagnostics.Add(seedEntry.KeyNode, "search.seed", $"the seed is given twice (also at line {topSeed.Start.Line}): keep search.seed");
            }

            seed = reader.Integer(seedEntry.Value, "search.seed", long.MinValue);
        }

        var liar = top.TryGetValue("liar", out var liarEntry) ? ReadChoice(liarEntry.Value, "search.liar", Liars) : ConstantLiar.Worst;
        var startup = top.TryGetValue("startup_trials", out var startupEntry) ? (int?)reader.Integer(startupEntry.Value, "search.startup_trials", 0, int.MaxValue) : SweepSearch.DefaultStartupTrials;
        var candidates = top.TryGetValue("candidates", out var candidatesEntry) ? (int?)reader.Integer(candidatesEntry.Value, "search.candidates", 1, 10_000) : SweepSearch.DefaultCandidates;
        if (space is null || (trialsEntry.Value is not null && trials is null) || (batchEntry.Value is not null && batch is null)
            || parallel is null || seed is null || liar is null || startup is null || candidates is null)
        {
            return null;
        }

        var budget = algorithm == SearchAlgorithm.Grid ? GridBudget(space.Value, trials, trialsEntry.Value ?? node) : trials;
        if (budget is null)
        {
            if (algorithm != SearchAlgorithm.Grid)
            {
                reader.Diagnostics.Add(node, Section, "needs trials (the budget: how many trials to run)");
            }

            return null;
        }

        return new SweepSearch(
            algorithm.Value, budget.Value, batch ?? Math.Min(DefaultBatch, budget.Value), seed.Value, space.Value, parallel.Value,
            liar.Value, startup.Value, candidates.Value, EarlyStopping: null, Objectives: []);
    }

    public static string Name(SearchAlgorithm algorithm) => Algorithms.First(a => a.Value == algorithm).Key;

    /// <summary>The grid's size, or the budget if one is given (at most the size).</summary>
    private int? GridBudget(ImmutableArray<SearchDimension> dimensions, int? trials, YamlNode at)
    {
        var size = new GridSearch(new SearchSpace(dimensions, experiment)).Size;
        if (trials is { } budget)
        {
            if (budget > size)
            {
                reader.Diagnostics.Add(at, "search.trials", $"{budget} is more than the grid's {size} points: leave trials out to run the whole grid, or lower it");
                return null;
            }

            return budget;
        }

        if (size > limits.MaxTrials)
        {
            reader.Diagnostics.Add(at, "search", $"the grid has {(size == long.MaxValue ? "more than 9.2e18" : size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} points, more than the limit of {limits.MaxTrials.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}: set trials to run part of it");
            return null;
        }

        return (int)size;
    }

    private T? ReadChoice<T>(YamlNode node, string path, Dictionary<string, T> known)
        where T : struct
    {
        var text = reader.Text(node, path);
        if (text is null)
        {
            return null;
        }

        if (known.TryGetValue(text, out var value))
        {
            return value;
        }

        reader.Diagnostics.Add(node, path, $"unknown value '{text}' (expected one of {string.Join(", ", known.Keys)})");
        return null;
    }
}
