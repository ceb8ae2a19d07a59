using System.Globalization;
using System.Text;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Abstractions.Experiments;

/// <summary>
/// The reference of every experiment's parameters (type, range, default, meaning), generated from the definitions:
/// <c>graddescent trial EXPERIMENT --help</c> prints its rows, and docs/experiments.md is <see cref="Markdown"/> (a test
/// fails when the file is stale).
/// </summary>
public static class ExperimentReference
{
    /// <summary>One parameter as the reference shows it.</summary>
    /// <param name="Name">The parameter.</param>
    /// <param name="Type">integer, real, boolean, choice, or a path and what is done with it.</param>
    /// <param name="Range">Bounds (<c>&gt;= 2, &lt;= 100000</c>) or the allowed choices; empty when any value of the type goes.</param>
    /// <param name="Default">The default's text, <c>required</c>, or <c>none</c> (absent: the meaning says what happens).</param>
    /// <param name="Meaning">The definition's description.</param>
    public sealed record Row(string Name, string Type, string Range, string Default, string Meaning);

    public static IReadOnlyList<Row> Rows(ExperimentDefinition experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return [.. experiment.Parameters.Select(p => new Row(p.Name, TypeOf(p), RangeOf(p), DefaultOf(p), p.Description))];
    }

    /// <summary>The whole of docs/experiments.md.</summary>
    public static string Markdown(IReadOnlyList<ExperimentDefinition> experiments)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        var md = new StringBuilder();
        md.Append("""
            # Experiments

            <!-- Generated from src/Abstractions/Experiments/*Definition.cs by ExperimentReference.Markdown; do not edit by hand.
                 tests/Sweeps.Tests/ExperimentReferenceTests.cs fails when this file is stale and says how to regenerate it. -->

            Every parameter of every experiment, as `graddescent trial EXPERIMENT --help` prints it. A sweep spec sets them under
            `parameters`, `grid` or `random.space` ([sweep-spec.md](sweep-spec.md)); `graddescent trial EXPERIMENT key=value ...`
            runs one trial. Values are checked against the type and range before anything runs; a parameter without a default
            stays absent and the meaning says what that does. The optimizer hyperparameters (`momentum` … `initial_accumulator`)
            are shared by every experiment and explained in [optimizers.md](optimizers.md).

            How reports read each experiment: the **primary metric** ranks trials; the **step metric** is plotted per iteration;
            the **optimum** is the trial metric holding the true optimum of its problem, against which convergence is measured;
            **problem parameters** define the problem instance, so reports rank contenders within each of their values, never
            across; two results closer than max(0.1% of the value, the **tolerance**) are a tie ([reports.md](reports.md)).

            """);
        foreach (var experiment in experiments)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {experiment.Name}\n\n{experiment.Description}\n\n");
            md.Append(CultureInfo.InvariantCulture, $"- primary metric: `{experiment.PrimaryMetric}`, {(experiment.Goal == MetricGoal.Minimize ? "lower" : "higher")} is better; step metric: `{experiment.StepMetric}`\n");
            md.Append(CultureInfo.InvariantCulture, $"- optimum: {(experiment.OptimumMetric is { } optimum ? $"`{optimum}`" : "none known (reports measure against the sweep's best)")}; tolerance: {experiment.EquivalenceTolerance.ToString("G", CultureInfo.InvariantCulture)}\n");
            md.Append(CultureInfo.InvariantCulture, $"- problem parameters: {(experiment.ProblemParameters.Count == 0 ? "none" : string.Join(", ", experiment.ProblemParameters.Select(p => $"`{p}`")))}\n");
            md.Append(CultureInfo.InvariantCulture, $"- seed: {experiment.SeedUse}\n\n");
            md.Append("| parameter | type | range | default | meaning |\n|---|---|---|---|---|\n");
            foreach (var row in Rows(experiment))
            {
                md.Append(CultureInfo.InvariantCulture, $"| `{row.Name}` | {Cell(row.Type)} | {Cell(row.Range)} | {Cell(row.Default)} | {Cell(row.Meaning)} |\n");
            }
        }

        return md.ToString();
    }

    private static string Cell(string text) => text.Length == 0 ? "—" : text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string TypeOf(ParameterDefinition parameter) => parameter.Kind switch
    {
        ParameterKind.Path => parameter.PathUse == PathUse.WriteFolder ? "path (folder written)" : "path (file read)",
        _ => parameter.Kind.ToString().ToLowerInvariant(),
    };

    private static string RangeOf(ParameterDefinition parameter)
    {
        if (parameter.Kind == ParameterKind.Choice)
        {
            return string.Join(", ", parameter.Choices);
        }

        var bounds = new List<string>();
        if (parameter.Min is { } min)
        {
            bounds.Add($"{(parameter.MinExclusive ? ">" : ">=")} {min.ToString("G", CultureInfo.InvariantCulture)}");
        }

        if (parameter.Max is { } max)
        {
            bounds.Add($"{(parameter.MaxExclusive ? "<" : "<=")} {max.ToString("G", CultureInfo.InvariantCulture)}");
        }

        return string.Join(", ", bounds);
    }

    private static string DefaultOf(ParameterDefinition parameter)
    {
        var plain = parameter.Default is { } value ? value : parameter.Required ? "required" : "none";
        if (parameter.DependentDefault is not { } dependent)
        {
            return plain;
        }

        // A default chosen by another parameter: each controller value's default, then what applies otherwise.
        var chosen = dependent.Values.Select(v => $"{v.Value ?? "none"} ({dependent.Controller}={v.Key})");
        return $"{string.Join("; ", chosen)}; otherwise {plain}";
    }
}
