namespace GradDescent.Storage.Queries;

/// <summary>What a trial field holds, which decides the comparisons and literals it accepts.</summary>
public enum TrialFieldKind
{
    /// <summary>Compared with numbers.</summary>
    Number,

    /// <summary>Compared with strings (quoted, or bare words).</summary>
    Text,

    /// <summary>A timestamp: sortable, not filterable.</summary>
    Time,
}

/// <summary>Where a field's value lives in the <c>trials</c> table.</summary>
public enum TrialFieldSource
{
    /// <summary>A column of its own.</summary>
    Column,

    /// <summary>A key of the <c>parameters</c> JSON (canonical text).</summary>
    Parameter,

    /// <summary>A key of the <c>metrics</c> JSON (non-finite values read as null).</summary>
    Metric,
}

/// <summary>One name the trial filter, sort and table know: a column, a parameter or a metric of the sweep.</summary>
/// <param name="Name">What users write, e.g. <c>learning_rate</c>, <c>mse</c>, <c>iterations</c>.</param>
/// <param name="Kind">Number, text or time.</param>
/// <param name="Source">Column, parameter or metric.</param>
/// <param name="Key">The column name, or the JSON key of the parameter or metric.</param>
public sealed record TrialField(string Name, TrialFieldKind Kind, TrialFieldSource Source, string Key);
