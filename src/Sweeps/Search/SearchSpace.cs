using System.Collections.Immutable;
using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// A validated search space bound to its experiment: which dimensions are active for a partial point
/// (conditions name earlier choice dimensions only, so one pass in order decides everything), and the
/// conversions between points and canonical parameter text. A value always goes through its canonical
/// text (<see cref="Normalize"/>), so a point rebuilt from the store equals the point proposed, bit for bit.
/// </summary>
public sealed class SearchSpace
{
    private readonly SearchDimension[] dimensions;
    private readonly ParameterDefinition[] definitions;

    /// <summary>Per dimension, per condition: the index of the parent dimension and the allowed choice indexes.</summary>
    private readonly (int Parent, bool[] Allowed)[][] conditions;

    public SearchSpace(ImmutableArray<SearchDimension> space, ExperimentDefinition experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        if (space.IsDefaultOrEmpty)
        {
            throw new ArgumentException("a search space needs at least one dimension", nameof(space));
        }

        dimensions = [.. space];
        definitions = new ParameterDefinition[dimensions.Length];
        conditions = new (int, bool[])[dimensions.Length][];
        for (var d = 0; d < dimensions.Length; d++)
        {
            definitions[d] = experiment.Find(dimensions[d].Name)
                ?? throw new ArgumentException($"search.space.{dimensions[d].Name}: unknown parameter for experiment '{experiment.Name}'", nameof(space));
            conditions[d] = dimensions[d].IsConditional ? [.. dimensions[d].When.Select(c => Condition(d, c))] : [];
        }
    }

    public int Count => dimensions.Length;

    public SearchDimension this[int dimension] => dimensions[dimension];

    internal ParameterDefinition Definition(int dimension) => definitions[dimension];

    /// <summary>The dimension's index, or -1.</summary>
    public int IndexOf(string name) => Array.FindIndex(dimensions, d => d.Name == name);

    /// <summary>
    /// Whether <paramref name="dimension"/> is drawn, given the values of the dimensions before it in
    /// <paramref name="point"/> (later entries are not read).
    /// </summary>
    public bool IsActive(int dimension, ReadOnlySpan<double> point)
    {
        foreach (var (parent, allowed) in conditions[dimension])
        {
            var value = point[parent];
            if (double.IsNaN(value) || !allowed[(int)value])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The number a raw draw (real, integer or choice text) stands for in a point, after canonicalisation.</summary>
    internal double ToValue(int dimension, object raw)
    {
        var canonical = raw as string is { } text && dimensions[dimension].Draw.Distribution == RandomDistribution.Choice
            ? text
            : definitions[dimension].Canonicalize(raw);
        return Parse(dimension, canonical);
    }

    /// <summary>A proposed number rounded through the parameter's canonical text (clamped into the dimension's range first).</summary>
    internal double Normalize(int dimension, double value)
    {
        var draw = dimensions[dimension].Draw;
        return draw.Distribution switch
        {
            RandomDistribution.Choice => value,
            RandomDistribution.IntUniform => ToValue(dimension, (long)Math.Clamp(Math.Round(value, MidpointRounding.ToEven), draw.Low, draw.High)),
            _ => ToValue(dimension, Math.Clamp(value, draw.Low, draw.High)),
        };
    }

    /// <summary>The point of a trial's parameters (canonical text, defaults filled in): inactive dimensions are NaN whatever their value.</summary>
    /// <exception cref="ArgumentException">An active dimension has no value, or a value outside its distribution's choices.</exception>
    public SearchPoint Encode(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var values = new double[dimensions.Length];
        for (var d = 0; d < dimensions.Length; d++)
        {
            if (!IsActive(d, values))
            {
                values[d] = double.NaN;
                continue;
            }

            if (!parameters.TryGetValue(dimensions[d].Name, out var text))
            {
                throw new ArgumentException($"parameter '{dimensions[d].Name}' is active in the search space but has no value", nameof(parameters));
            }

            values[d] = Parse(d, text);
        }

        return new SearchPoint([.. values]);
    }

    /// <summary>The active dimensions' canonical text.</summary>
    public ImmutableSortedDictionary<string, string> Decode(SearchPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var values = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        for (var d = 0; d < dimensions.Length; d++)
        {
            if (point.IsActive(d))
            {
                values[dimensions[d].Name] = Text(d, point[d]);
            }
        }

        return values.ToImmutable();
    }

    /// <summary>The canonical text of one dimension's value.</summary>
    public string Text(int dimension, double value)
    {
        var draw = dimensions[dimension].Draw;
        return draw.Distribution switch
        {
            RandomDistribution.Choice => draw.Choices[(int)value],
            RandomDistribution.IntUniform when definitions[dimension].Kind == ParameterKind.Integer => definitions[dimension].Canonicalize((long)value),
            _ => definitions[dimension].Canonicalize(value),
        };
    }

    /// <summary>
    /// What every trial starts from before its point's values are set: the fixed parameters and the
    /// defaults, so an inactive dimension takes its default (or stays absent). Binding the fixed parameters
    /// with one value of every dimension checks what single values cannot (a required parameter given nowhere).
    /// </summary>
    /// <exception cref="ParameterException">The parameters cannot be bound.</exception>
    internal ImmutableSortedDictionary<string, string> BaseParameters(ExperimentDefinition experiment, IReadOnlyDictionary<string, string> fixedParameters)
    {
        var first = fixedParameters.Select(p => KeyValuePair.Create(p.Key, (object?)p.Value))
            .Concat(Enumerable.Range(0, Count).Select(d => KeyValuePair.Create(dimensions[d].Name, (object?)Text(d, FirstValue(d)))));
        var bound = experiment.Bind(first).Values.ToBuilder();
        for (var d = 0; d < Count; d++)
        {
            if (definitions[d].Default is { } fallback)
            {
                bound[dimensions[d].Name] = fallback;
            }
            else
            {
                bound.Remove(dimensions[d].Name);
            }
        }

        return bound.ToImmutable();
    }

    /// <summary>A point drawn uniformly (as <c>random.space</c> draws) from random bits: <paramref name="bits"/>(d) for dimension d.</summary>
    internal SearchPoint Draw(Func<int, ulong> bits)
    {
        var values = new double[dimensions.Length];
        for (var d = 0; d < dimensions.Length; d++)
        {
            values[d] = IsActive(d, values) ? DrawOne(d, bits(d)) : double.NaN;
        }

        return new SearchPoint([.. values]);
    }

    /// <summary>One dimension drawn from 64 random bits, as <c>random.space</c> draws it.</summary>
    internal double DrawOne(int dimension, ulong bits) => ToValue(dimension, RandomSampler.Draw(dimensions[dimension].Draw, bits));

    private double FirstValue(int dimension) =>
        dimensions[dimension].Draw.Distribution == RandomDistribution.Choice ? 0 : dimensions[dimension].Draw.Low;

    private double Parse(int dimension, string text)
    {
        var draw = dimensions[dimension].Draw;
        if (draw.Distribution == RandomDistribution.Choice)
        {
            var index = draw.Choices.IndexOf(text, StringComparer.Ordinal);
            return index >= 0
                ? index
                : throw new ArgumentException($"'{text}' is not one of {dimensions[dimension].Name}'s choices ({string.Join(", ", draw.Choices)})", nameof(text));
        }

        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private (int, bool[]) Condition(int dimension, SearchCondition condition)
    {
        var parent = Array.FindIndex(dimensions, d => d.Name == condition.Parameter);
        if (parent < 0 || parent >= dimension || dimensions[parent].Draw.Distribution != RandomDistribution.Choice)
        {
            throw new ArgumentException(
                $"search.space.{dimensions[dimension].Name}.when: '{condition.Parameter}' must be a choice dimension listed before it", nameof(condition));
        }

        var choices = dimensions[parent].Draw.Choices;
        var allowed = new bool[choices.Length];
        foreach (var value in condition.Values)
        {
            var index = choices.IndexOf(value, StringComparer.Ordinal);
            if (index < 0)
            {
                throw new ArgumentException($"search.space.{dimensions[dimension].Name}.when: '{value}' is not one of {condition.Parameter}'s choices", nameof(condition));
            }

            allowed[index] = true;
        }

        return (parent, allowed);
    }
}
