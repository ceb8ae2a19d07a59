using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;
using GradDescent.Workers.Devices;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent trial EXPERIMENT key=value ... [--json]</c>: one trial, printed.</summary>
public sealed class TrialCommand : ICommand
{
    public string Name => "trial";

    public string Summary => "Run one trial of an experiment and print its result.";

    public string Usage => "trial <linear-regression|vector-spread|adversarial> [key=value ...] [seed=N] [--device auto|cpu|cuda] [--json]";

    public IReadOnlySet<string> Switches { get; } = new HashSet<string> { "json" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "device" };

    public Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(1, pairsAllowed: true);
        var name = arguments.Positional(0, "experiment");
        var definition = ExperimentCatalog.Find(name)
            ?? throw new UsageException($"unknown experiment '{name}' (known: {string.Join(", ", ExperimentCatalog.All.Select(e => e.Name))})");

        var seed = 0;
        var raw = new List<KeyValuePair<string, object?>>();
        foreach (var (key, value) in arguments.Pairs)
        {
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
        using var services = new ServiceCollection()
            .AddLogging(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddExperiments()
            .BuildServiceProvider();
        var experiment = services.GetRequiredService<ExperimentRegistry>().Get(definition.Name);
        experiment.Validate(parameters);

        TorchRuntime.Configure(GradDescentHosting.ReadConfiguration(new Dictionary<string, string?>())
            .GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.TorchThreads ?? new WorkerOptions().TorchThreads);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("GradDescent.Trial");
        var device = TorchDevices.Resolve(arguments.Option("device"), logger);
        var outcome = experiment.RunFused([new TrialInput(parameters, seed)], device, cancellationToken)[0];

        var document = Document(outcome, device, seed);
        if (arguments.Has("json"))
        {
            Console.Out.WriteLine(document.ToJsonString());
        }
        else
        {
            PrintHuman(definition, parameters, outcome, document);
        }

        return Task.FromResult(ExitCodes.Success);
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
