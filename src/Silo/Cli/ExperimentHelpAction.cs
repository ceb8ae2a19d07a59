using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Silo.Cli;

/// <summary>
/// The usual help, plus, for <c>trial EXPERIMENT --help</c>, the experiment's parameters (type, range,
/// default, meaning) generated from its <see cref="ParameterDefinition"/>s.
/// </summary>
public sealed class ExperimentHelpAction(HelpAction inner) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var exitCode = inner.Invoke(parseResult);
        var command = parseResult.CommandResult.Command;
        if (command.Parents.OfType<Command>().Any(p => p.Name == "trial") && ExperimentCatalog.Find(command.Name) is { } experiment)
        {
            parseResult.InvocationConfiguration.Output.Write(Describe(experiment));
        }

        return exitCode;
    }

    /// <summary>The parameter table of one experiment.</summary>
    public static string Describe(ExperimentDefinition experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var rows = experiment.Parameters.Select(p => (p.Name, Type: TypeOf(p), Text: $"{DefaultOf(p)}. {p.Description}")).ToList();
        var nameWidth = rows.Max(r => r.Name.Length) + 2;
        var typeWidth = Math.Min(rows.Max(r => r.Type.Length), 28) + 2;
        var lines = rows.Select(r => r.Type.Length < typeWidth
            ? $"  {r.Name.PadRight(nameWidth)}{r.Type.PadRight(typeWidth)}{r.Text}"
            : $"  {r.Name.PadRight(nameWidth)}{r.Type}\n  {new string(' ', nameWidth + typeWidth)}{r.Text}");
        return $"Parameters (key=value; seed=N sets the trial's seed, default 0; primary metric {experiment.PrimaryMetric}, "
            + $"{(experiment.Goal == MetricGoal.Minimize ? "lower" : "higher")} is better):\n{string.Join('\n', lines)}\n\n";
    }

    private static string TypeOf(ParameterDefinition parameter) => parameter.Kind switch
    {
        ParameterKind.Choice => string.Join('|', parameter.Choices),
        ParameterKind.Integer or ParameterKind.Real => $"{parameter.Kind.ToString().ToLowerInvariant()}{RangeOf(parameter)}",
        _ => parameter.Kind.ToString().ToLowerInvariant(),
    };

    private static string RangeOf(ParameterDefinition parameter)
    {
        var bounds = new List<string>();
        if (parameter.Min is { } min)
        {
            bounds.Add($"{(parameter.MinExclusive ? ">" : ">=")} {min.ToString("G", CultureInfo.InvariantCulture)}");
        }

        if (parameter.Max is { } max)
        {
            bounds.Add($"{(parameter.MaxExclusive ? "<" : "<=")} {max.ToString("G", CultureInfo.InvariantCulture)}");
        }

        return bounds.Count == 0 ? string.Empty : $" {string.Join(", ", bounds)}";
    }

    private static string DefaultOf(ParameterDefinition parameter) =>
        parameter.Default is { } value ? $"default {value}" : parameter.Required ? "required" : "optional";
}
