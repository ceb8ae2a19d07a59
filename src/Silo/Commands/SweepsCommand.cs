using System.CommandLine;
using System.Text.Json.Nodes;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent sweeps</c>: every stored sweep, newest first. A local run that stopped without finishing (Ctrl-C, kill,
/// crash) shows as <c>interrupted</c> rather than <c>running</c> (<see cref="Abstractions.Storage.SweepLiveness"/>).
/// </summary>
public sealed class SweepsCommand(IResultStore store, IOptions<DatabaseOptions> database, TimeProvider time, SweepsCommand.Input input)
    : StoreCommand(store, database, time)
{
    public sealed record Input(bool Json);

    public static Command Create()
    {
        var json = CliOptions.Json();
        var command = new Command("sweeps", "List stored sweeps, newest first.") { json };
        command.SetAction((parse, ct) => RunAsync<SweepsCommand, Input>(parse, new Input(parse.GetValue(json)), ct));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweeps = await store.ListSweepsAsync(cancellationToken);
        var now = Time.GetUtcNow();
        if (input.Json)
        {
            var array = new JsonArray([.. sweeps.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["name"] = s.Name,
                ["experiment"] = s.Experiment,
                ["status"] = s.Liveness.Describe(now),
                ["total_trials"] = s.TotalTrials,
                ["created_at"] = s.CreatedAt,
            })]);
            Console.Out.WriteLine(array.ToJsonString());
            return ExitCodes.Success;
        }

        Console.Out.WriteLine($"{"SWEEP",-44} {"EXPERIMENT",-18} {"STATUS",-11} {"TRIALS",8}  CREATED");
        foreach (var s in sweeps)
        {
            Console.Out.WriteLine($"{s.Id,-44} {s.Experiment,-18} {s.Liveness.Describe(now),-11} {s.TotalTrials,8}  {s.CreatedAt:yyyy-MM-dd HH:mm:ss}");
        }

        if (sweeps.Any(s => s.Liveness.IsInterrupted(now)))
        {
            await Console.Error.WriteLineAsync("interrupted: a local run stopped before the end; graddescent resume SWEEP continues it");
        }

        return ExitCodes.Success;
    }
}
