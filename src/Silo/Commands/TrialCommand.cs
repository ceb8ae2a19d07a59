using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Silo.Cli;
using GradDescent.Workers.Devices;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Extensions;
using GradDescent.Workers.FileAccess;
using GradDescent.Workers.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent trial EXPERIMENT key=value ... [--json]</c>: one trial, printed. Each experiment is a
/// subcommand whose help lists its parameters. File parameters may name files in the working directory and the
/// configured roots (<c>GradDescent__Files__Roots__N</c>).
/// </summary>
public sealed class TrialCommand(ExperimentRegistry experiments, IOptions<WorkerOptions> options, ILogger<TrialCommand> logger, TrialCommand.Input input)
    : ICommandHandler
{
    public sealed record Input(ExperimentDefinition Experiment, IReadOnlyList<string> Assignments, bool Json);

    public static Command Create()
    {
        var known = string.Join(", ", ExperimentCatalog.All.Select(e => e.Name));
        var trial = new Command("trial", "Run one trial of an experiment and print its result (trial EXPERIMENT --help lists its parameters).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var experiment in ExperimentCatalog.All)
        {
            trial.Add(CreateExperimentCommand(experiment));
        }

        trial.SetAction((Func<ParseResult, int>)(parse => throw new UsageException(parse.UnmatchedTokens.Count == 0
            ? $"missing experiment (known: {known})"
            : $"unknown experiment '{parse.UnmatchedTokens[0]}' (known: {known})")));
        return trial;
    }

    public Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var definition = input.Experiment;
        var seed = 0;
        var raw = new List<KeyValuePair<string, object?>>();
        foreach (var assignment in input.Assignments)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"unexpected argument '{assignment}': parameters are key=value (graddescent trial {definition.Name} --help lists them)");
            }

            var (key, value) = (assignment[..equals].Trim(), assignment[(equals + 1)..]);
            if (key == "seed")
            {
                seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0
                    ? parsed
                    : throw new ParameterException("seed", $"expected a whole number >= 0, got '{value}'");
            }
            else
            {
                raw.Add(new(key, value));
            }
        }

        var parameters = definition.Bind(raw);
        var experiment = experiments.Get(definition.Name);
        experiment.Validate(parameters);

        TorchRuntime.Configure(options.Value.TorchThreads);
        var device = TorchDevices.Resolve(options.Value.Device, logger);
        var outcome = experiment.RunFused([new TrialInput(parameters, seed)], device, cancellationToken)[0];

        var document = Document(outcome, device, seed);
        if (input.Json)
        {
            Console.Out.WriteLine(document.ToJsonString());
        }
        else
        {
            PrintHuman(definition, parameters, outcome, document);
        }

        return Task.FromResult(ExitCodes.Success);
    }

    private static Command CreateExperimentCommand(ExperimentDefinition experiment)
    {
        var assignments = new Argument<string[]>("key=value")
        {
            Description = "Parameters (listed below) and seed=N.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = CliOptions.Json("Print the result as one JSON object.");
        var command = new Command(experiment.Name, experiment.Description) { assignments, CliOptions.Device(), json };
        command.SetAction((parse, ct) => CliHost.RunAsync<TrialCommand>(
            parse,
            builder => builder.Services
                .AddGradDescentFileAccess([Environment.CurrentDirectory])
                .AddGradDescentExperiments()
                .AddSingleton(new Input(experiment, parse.GetValue(assignments) ?? [], parse.GetValue(json))),
            ct,
            LogLevel.Information));
        return command;
    }

    private static JsonObject Document(TrialOutcome outcome, TorchSharp.torch.Device device, int seed)
    {
        var document = outcome.ToDocument();
        document["device"] = TorchDevices.Describe(device);
        document["seed"] = seed;
        document["status"] = outcome.Status.ToString().ToLowerInvariant();
        if (outcome.DivergedAtStep is { } step)
        {
            document["diverged_at_step"] = step;
        }

        return document;
    }

    private static void PrintHuman(ExperimentDefinition definition, ParameterSet parameters, TrialOutcome outcome, JsonObject document)
    {
        Console.Out.WriteLine($"{definition.Name}: {parameters}");
        foreach (var (key, value) in document)
        {
            if (key == "history" || value is null)
            {
                continue;
            }

            var text = value is JsonValue ? value.ToJsonString() : Shorten(value.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            Console.Out.WriteLine($"  {key,-24} {text}");
        }

        foreach (var series in outcome.History)
        {
            var shown = series.Values.Length <= 6
                ? string.Join(", ", series.Values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))
                : $"{string.Join(", ", series.Values.Take(3).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))}, ... , {series.Values[^1].ToString("G6", CultureInfo.InvariantCulture)}";
            Console.Out.WriteLine($"  history.{series.Metric,-16} [{series.Values.Length} steps] {shown}");
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : $"{text[..200]}... ({text.Length} chars; --json prints all)";
}
