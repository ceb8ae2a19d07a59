using System.Collections.Immutable;
using System.Globalization;

namespace GradDescent.Abstractions.Parameters;

/// <summary>
/// A validated, canonical set of trial parameters (name → canonical text), defaults filled in.
/// Produced only by <see cref="Experiments.ExperimentDefinition.Bind"/>; crosses grain calls as is.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ParameterSet([property: Id(0)] ImmutableSortedDictionary<string, string> Values)
{
    public static ParameterSet Empty { get; } = new(ImmutableSortedDictionary<string, string>.Empty);

    public bool Has(string name) => Values.ContainsKey(name);

    public string GetText(string name) =>
        Values.TryGetValue(name, out var value) ? value : throw new ParameterException(name, "no value was bound");

    public string? GetTextOrNull(string name) => Values.GetValueOrDefault(name);

    public double GetDouble(string name) => double.Parse(GetText(name), NumberStyles.Float, CultureInfo.InvariantCulture);

    public double? GetDoubleOrNull(string name) =>
        Values.TryGetValue(name, out var value) ? double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    public int GetInt(string name) => checked((int)long.Parse(GetText(name), NumberStyles.Integer, CultureInfo.InvariantCulture));

    public long GetLong(string name) => long.Parse(GetText(name), NumberStyles.Integer, CultureInfo.InvariantCulture);

    public bool GetBool(string name) => GetText(name) == "true";

    /// <summary>A stable text form, e.g. <c>learning_rate=0.1 optimizer=adam</c>.</summary>
    public override string ToString() => string.Join(' ', Values.Select(kv => $"{kv.Key}={kv.Value}"));
}
