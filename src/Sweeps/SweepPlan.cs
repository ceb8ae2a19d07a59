using System.Collections.Immutable;
using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps;

/// <summary>
/// The trials of a validated <see cref="SweepSpec"/>, by index, without materialising them.
/// Trial i is repeat <c>i % repeats</c> (its seed) of point <c>i / repeats</c>; points are the grid
/// points in mixed-radix order (first axis slowest, last axis fastest) followed by the random
/// samples. Consecutive trials therefore share every parameter but the seed, then every parameter
/// but the last axis, which keeps fusion keys equal over long runs when shape-changing axes
/// (optimizer, method, sizes) are written first.
/// </summary>
public sealed class SweepPlan
{
    private readonly string[] axisNames;
    private readonly string[][] axisValues;
    private readonly RandomDimension[] dimensions;
    private readonly ParameterDefinition[] dimensionDefinitions;
    private readonly int[] sampledAxes;
    private readonly ImmutableSortedDictionary<string, string> gridBase;
    private readonly ImmutableSortedDictionary<string, string> randomBase;
    private readonly IndexedSearch? search;

    /// <summary>
    /// Whether a swept parameter chooses another parameter's default (<see cref="ParameterDefinition.DependentDefault"/>,
    /// e.g. vector spread's <c>method</c>): then each trial is bound from the spec's values and its own swept values, not
    /// from the defaults the first swept value chose.
    /// </summary>
    private readonly bool rebind;

    private SweepPlan(SweepSpec spec, ExperimentDefinition experiment)
    {
        if (spec.Repeats < 1)
        {
            throw new ArgumentException($"sweep '{spec.Name}': repeats must be at least 1", nameof(spec));
        }

        Spec = spec;
        Experiment = experiment;
        var grid = spec.Grid.IsDefault ? [] : spec.Grid;
        axisNames = [.. grid.Select(a => a.Name)];
        axisValues = [.. grid.Select(a => a.Values.IsDefaultOrEmpty
            ? throw new ArgumentException($"sweep '{spec.Name}': grid axis '{a.Name}' has no values", nameof(spec))
            : a.Values.ToArray())];
        dimensions = spec.Random is null ? [] : [.. spec.Random.Space];
        dimensionDefinitions = [.. dimensions.Select(d => experiment.Find(d.Name)
            ?? throw new ArgumentException($"sweep '{spec.Name}': unknown random parameter '{d.Name}'", nameof(spec)))];
        sampledAxes = [.. Enumerable.Range(0, axisNames.Length).Where(i => !dimensions.Any(d => d.Name == axisNames[i]))];

        search = spec.Search is null ? null : new IndexedSearch(spec, experiment);
        GridPoints = search is null ? spec.GridPoints : 0;
        RandomPoints = spec.Random?.Samples ?? 0;
        TotalTrials = spec.TotalTrials;
        if (TotalTrials == long.MaxValue)
        {
            throw new ArgumentException($"sweep '{spec.Name}' has too many trials to index", nameof(spec));
        }

        // Bind once with the first value of every swept parameter: this fills defaults and checks
        // required parameters; each trial then only replaces the swept values (already canonical).
        var first = spec.Parameters.Concat(grid.Select(a => KeyValuePair.Create(a.Name, a.Values[0]))).ToList();
        rebind = experiment.Parameters.Any(p => p.DependentDefault is { } dependent
            && (axisNames.Contains(dependent.Controller, StringComparer.Ordinal) || dimensions.Any(d => d.Name == dependent.Controller)));
        gridBase = Bind(first);
        randomBase = dimensions.Length == 0 ? gridBase : Bind(first
            .Where(p => !dimensions.Any(d => d.Name == p.Key))
            .Concat(dimensions.Select(d => KeyValuePair.Create(d.Name, FirstValue(d)))));
    }

    public SweepSpec Spec { get; }

    public ExperimentDefinition Experiment { get; }

    /// <summary>Grid points (the product of the axis sizes).</summary>
    public long GridPoints { get; }

    /// <summary>Random samples, after the grid points.</summary>
    public long RandomPoints { get; }

    /// <summary>Grid points plus random samples; a search sweep's trials.</summary>
    public long Points => search is null ? GridPoints + RandomPoints : TotalTrials;

    /// <summary>Points times repeats.</summary>
    public long TotalTrials { get; }

    /// <summary>Builds the plan of a spec produced by <see cref="SweepSpecParser"/>.</summary>
    /// <exception cref="ArgumentException">The spec names an unknown experiment or is inconsistent.</exception>
    public static SweepPlan Create(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new SweepPlan(spec, ExperimentCatalog.Get(spec.Experiment));
    }

    internal static SweepPlan Create(SweepSpec spec, ExperimentDefinition experiment) => new(spec, experiment);

    /// <summary>Trial <paramref name="index"/>, computed from the index alone in O(axes).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..TotalTrials-1.</exception>
    /// <exception cref="InvalidOperationException">An adaptive search (see <see cref="SweepSearch.IsAdaptive"/>): its trials come from a <see cref="SearchDriver"/>.</exception>
    public TrialPoint GetTrial(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, TotalTrials);
        if (search is not null)
        {
            return search.GetTrial(index);
        }

        var point = index / Spec.Repeats;
        var repeat = (int)(index % Spec.Repeats);
        var values = point < GridPoints ? GridValues(point) : RandomValues(point - GridPoints);
        return new TrialPoint(index, new ParameterSet(values), repeat, point, repeat);
    }

    /// <summary>Trials from <paramref name="fromIndex"/> to the end, lazily.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..TotalTrials.</exception>
    public IEnumerable<TrialPoint> Enumerate(long fromIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fromIndex, TotalTrials);
        return EnumerateFrom(fromIndex);
    }

    private IEnumerable<TrialPoint> EnumerateFrom(long fromIndex)
    {
        for (var index = fromIndex; index < TotalTrials; index++)
        {
            yield return GetTrial(index);
        }
    }

    private ImmutableSortedDictionary<string, string> GridValues(long point)
    {
        if (axisNames.Length == 0)
        {
            return gridBase;
        }

        var builder = gridBase.ToBuilder();
        for (var axis = axisNames.Length - 1; axis >= 0; axis--)
        {
            var size = axisValues[axis].Length;
            builder[axisNames[axis]] = axisValues[axis][point % size];
            point /= size;
        }

        return rebind ? Rebind(builder, axisNames) : builder.ToImmutable();
    }

    private ImmutableSortedDictionary<string, string> RandomValues(long sample)
    {
        var builder = randomBase.ToBuilder();
        for (var d = 0; d < dimensions.Length; d++)
        {
            var raw = RandomSampler.Draw(dimensions[d], RandomSampler.Bits(Spec.Seed, sample, d));
            builder[dimensions[d].Name] = raw as string ?? dimensionDefinitions[d].Canonicalize(raw);
        }

        for (var k = 0; k < sampledAxes.Length; k++)
        {
            var axis = sampledAxes[k];
            var u = RandomSampler.Unit(Spec.Seed, sample, dimensions.Length + k);
            builder[axisNames[axis]] = axisValues[axis][RandomSampler.Pick(u, axisValues[axis].Length)];
        }

        return rebind ? Rebind(builder, [.. dimensions.Select(d => d.Name), .. sampledAxes.Select(a => axisNames[a])]) : builder.ToImmutable();
    }

    /// <summary>Binds the spec's fixed values with the trial's swept ones, so defaults follow the swept values.</summary>
    private ImmutableSortedDictionary<string, string> Rebind(ImmutableSortedDictionary<string, string>.Builder values, IEnumerable<string> swept) =>
        Bind(Spec.Parameters.Concat(swept.Select(name => KeyValuePair.Create(name, values[name]))));

    private ImmutableSortedDictionary<string, string> Bind(IEnumerable<KeyValuePair<string, string>> raw) =>
        Experiment.Bind(raw.Select(p => KeyValuePair.Create(p.Key, (object?)p.Value))).Values;

    private static string FirstValue(RandomDimension dimension) => dimension.Distribution switch
    {
        RandomDistribution.Choice => dimension.Choices[0],
        RandomDistribution.IntUniform => dimension.IntegerLow.ToString(CultureInfo.InvariantCulture),
        _ => dimension.Low.ToString("R", CultureInfo.InvariantCulture),
    };
}
