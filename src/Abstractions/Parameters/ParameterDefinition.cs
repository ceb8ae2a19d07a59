using System.Globalization;

namespace GradDescent.Abstractions.Parameters;

/// <summary>
/// One parameter an experiment accepts: its name (snake_case), type, default and allowed range.
/// A parameter with no default is optional unless <see cref="Required"/> is set; an absent optional
/// parameter has no value in the bound <see cref="ParameterSet"/> and the experiment decides what
/// that means (for example "start from the exact solution").
/// </summary>
public sealed record ParameterDefinition
{
    public required string Name { get; init; }

    public required ParameterKind Kind { get; init; }

    public required string Description { get; init; }

    /// <summary>Canonical text of the default value, or null when the parameter has none.</summary>
    public string? Default { get; init; }

    public bool Required { get; init; }

    /// <summary>A default chosen by another parameter's value; overrides <see cref="Default"/> where it has an entry.</summary>
    public DependentDefault? DependentDefault { get; init; }

    public double? Min { get; init; }

    public bool MinExclusive { get; init; }

    public double? Max { get; init; }

    public bool MaxExclusive { get; init; }

    /// <summary>What a <see cref="ParameterKind.Path"/> parameter does with its path (read a file, or write into a folder).</summary>
    public PathUse PathUse { get; init; }

    /// <summary>The allowed values of a <see cref="ParameterKind.Choice"/> parameter.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>
    /// The default that applies given the other bound values: <see cref="DependentDefault"/>'s entry for
    /// its controller's value when there is one, else <see cref="Default"/>. Null: no default.
    /// </summary>
    public string? DefaultGiven(IReadOnlyDictionary<string, string> bound)
    {
        ArgumentNullException.ThrowIfNull(bound);
        if (DependentDefault is { } dependent
            && bound.TryGetValue(dependent.Controller, out var controller)
            && dependent.Values.TryGetValue(controller, out var chosen))
        {
            return chosen;
        }

        return Default;
    }

    /// <summary>
    /// Checks one raw value and returns its canonical text (invariant culture, round-trippable).
    /// </summary>
    /// <exception cref="ParameterException">The value has the wrong type or is out of range.</exception>
    public string Canonicalize(object? raw)
    {
        if (raw is null)
        {
            throw new ParameterException(Name, "a value is required");
        }

        return Kind switch
        {
            ParameterKind.Integer => CanonicalInteger(raw),
            ParameterKind.Real => CanonicalReal(raw),
            ParameterKind.Boolean => CanonicalBoolean(raw),
            ParameterKind.Choice => CanonicalChoice(raw),
            ParameterKind.Path => CanonicalPath(raw),
            _ => throw new ParameterException(Name, $"unsupported kind {Kind}"),
        };
    }

    private string CanonicalInteger(object raw)
    {
        long value;
        switch (raw)
        {
            case int i: value = i; break;
            case long l: value = l; break;
            case double d when Math.Abs(d - Math.Round(d)) < 1e-9 && Math.Abs(d) < 9e15: value = (long)Math.Round(d); break;
            case string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed): value = parsed; break;
            default: throw new ParameterException(Name, $"expected an integer, got '{Describe(raw)}'");
        }

        CheckRange(value);
        return value.ToString(CultureInfo.InvariantCulture);
    }

    private string CanonicalReal(object raw)
    {
        double value;
        switch (raw)
        {
            case int i: value = i; break;
            case long l: value = l; break;
            case float f: value = f; break;
            case double d: value = d; break;
            case string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed): value = parsed; break;
            default: throw new ParameterException(Name, $"expected a number, got '{Describe(raw)}'");
        }

        if (!double.IsFinite(value))
        {
            throw new ParameterException(Name, $"expected a finite number, got '{Describe(raw)}'");
        }

        CheckRange(value);
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    private string CanonicalBoolean(object raw) => raw switch
    {
        bool b => b ? "true" : "false",
        string s when bool.TryParse(s.Trim(), out var parsed) => parsed ? "true" : "false",
        _ => throw new ParameterException(Name, $"expected true or false, got '{Describe(raw)}'"),
    };

    private string CanonicalChoice(object raw)
    {
        var text = raw as string ?? throw new ParameterException(Name, $"expected one of {string.Join(", ", Choices)}, got '{Describe(raw)}'");
        var match = Choices.FirstOrDefault(c => string.Equals(c, text.Trim(), StringComparison.OrdinalIgnoreCase));
        return match ?? throw new ParameterException(Name, $"'{text}' is not one of {string.Join(", ", Choices)}");
    }

    private string CanonicalPath(object raw)
    {
        var text = raw as string;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ParameterException(Name, "expected a file path");
        }

        if (text.AsSpan().ContainsAnyInRange('\0', '\u001f') || text.Contains('\u007f', StringComparison.Ordinal))
        {
            throw new ParameterException(Name, "a file path must not contain control characters");
        }

        return text.Trim();
    }

    private void CheckRange(double value)
    {
        if (Min is { } min && (MinExclusive ? value <= min : value < min))
        {
            throw new ParameterException(Name, $"{Format(value)} is out of range: must be {(MinExclusive ? ">" : ">=")} {Format(min)}");
        }

        if (Max is { } max && (MaxExclusive ? value >= max : value > max))
        {
            throw new ParameterException(Name, $"{Format(value)} is out of range: must be {(MaxExclusive ? "<" : "<=")} {Format(max)}");
        }
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);

    private static string Describe(object raw) => Convert.ToString(raw, CultureInfo.InvariantCulture) ?? string.Empty;
}
