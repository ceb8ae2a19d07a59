using System.Text.Json.Nodes;
using GradDescent.Silo.Cli;
using GradDescent.Storage;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent sweeps</c>: every stored sweep, newest first.</summary>
public sealed class SweepsCommand : StoreCommand
{
    public override string Name => "sweeps";

    public override string Summary => "List stored sweeps, newest first.";

    public override string Usage => "sweeps [--db PATH|CONNECTION] [--json]";

    protected override async Task<int> RunAsync(CommandArguments arguments, IResultStore store, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(0);
        var sweeps = await store.ListSweepsAsync(cancellationToken);
        if (arguments.Has("json"))
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
