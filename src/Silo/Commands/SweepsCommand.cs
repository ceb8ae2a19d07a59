using System.CommandLine;
using System.Text.Json.Nodes;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent sweeps</c>: every stored sweep, newest first.</summary>
public sealed class SweepsCommand(IResultStore store, IOptions<DatabaseOptions> database, SweepsCommand.Input input) : StoreCommand(store, database)
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
        if (input.Json)
        {
            var array = new JsonArray([.. sweeps.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["name"] = s.Name,
                ["experiment"] = s.Experiment,
                ["status"] = s.Status.ToString().ToLowerInvariant(),
                ["total_trials"] = s.TotalTrials,
                ["created_at"] = s.CreatedAt,
            })]);
            Console.Out.WriteLine(array.ToJsonString());
            return ExitCodes.Success;
        }

        Console.Out.WriteLine($"{"SWEEP",-44} {"EXPERIMENT",-18} {"STATUS",-10} {"TRIALS",8}  CREATED");
        foreach (var s in sweeps)
        {
            Console.Out.WriteLine($"{s.Id,-44} {s.Experiment,-18} {s.Status.ToString().ToLowerInvariant(),-10} {s.TotalTrials,8}  {s.CreatedAt:yyyy-MM-dd HH:mm:ss}");
        }

        return ExitCodes.Success;
    }
}
