using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using GradDescent.Abstractions.Experiments;

namespace GradDescent.Silo.Cli;

/// <summary>
/// The usual help, plus, for <c>trial EXPERIMENT --help</c>, the experiment's parameters (type, range,
/// default, meaning) generated from its <see cref="Abstractions.Parameters.ParameterDefinition"/>s.
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

    /// <summary>The parameter table of one experiment: the rows of docs/experiments.md (<see cref="ExperimentReference"/>).</summary>
    public static string Describe(ExperimentDefinition experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var rows = ExperimentReference.Rows(experiment)
            .Select(r => (r.Name, Type: r.Range.Length == 0 ? r.Type : $"{r.Type} {r.Range}", Text: $"{DefaultText(r.Default)}. {r.Meaning}"))
            .ToList();
        var nameWidth = rows.Max(r => r.Name.Length) + 2;
        var typeWidth = Math.Min(rows.Max(r => r.Type.Length), 28) + 2;
        var lines = rows.Select(r => r.Type.Length < typeWidth
            ? $"  {r.Name.PadRight(nameWidth)}{r.Type.PadRight(typeWidth)}{r.Text}"
            : $"  {r.Name.PadRight(nameWidth)}{r.Type}\n  {new string(' ', nameWidth + typeWidth)}{r.Text}");
        return $"Parameters (key=value; seed=N sets the trial's seed, default 0: it {experiment.SeedUse}; primary metric {experiment.PrimaryMetric}, "
            + $"{(experiment.Goal == MetricGoal.Minimize ? "lower" : "higher")} is better; docs/experiments.md has the same table):\n{string.Join('\n', lines)}\n\n";
    }

    private static string DefaultText(string value) => value switch
    {
        "none" => "optional",
        "required" => "required",
        _ => $"default {value}",
    };
}
