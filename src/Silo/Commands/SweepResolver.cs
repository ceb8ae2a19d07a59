using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;

namespace GradDescent.Silo.Commands;

/// <summary>
/// Finds the sweep a command names: an exact sweep id, otherwise the newest sweep of that name. A choice by name is
/// said on stderr with the other sweeps of that name, so a script that passes a name sees which run it got.
/// </summary>
public sealed class SweepResolver(IResultStore store, TimeProvider time, TextWriter? messages = null)
{
    /// <summary>How many other sweeps of the name are listed before "… and N more".</summary>
    private const int OthersShown = 5;

    private readonly TextWriter messages = messages ?? Console.Error;

    /// <exception cref="UsageException">No sweep has that id or name.</exception>
    public async Task<SweepRecord> ResolveAsync(string idOrName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        if (await store.GetSweepAsync(idOrName, cancellationToken) is { } exact)
        {
            return exact;
        }

        var named = (await store.ListSweepsAsync(cancellationToken)).Where(s => s.Name == idOrName).ToList();
        if (named.Count == 0)
        {
            throw new UsageException($"no sweep has id or name '{idOrName}' in this database (graddescent sweeps lists them)");
        }

        var chosen = named[0];
        var now = time.GetUtcNow();
        await messages.WriteLineAsync(named.Count == 1
            ? $"sweep '{idOrName}' is {Describe(chosen, now)}"
            : $"sweep '{idOrName}': the newest of {named.Count} sweeps of that name, {Describe(chosen, now)}");
        if (named.Count > 1)
        {
            var others = named.Skip(1).Take(OthersShown).Select(s => $"  {Describe(s, now)}");
            var more = named.Count - 1 - OthersShown;
            await messages.WriteLineAsync($"others (pass the id to choose one):\n{string.Join('\n', others)}{(more > 0 ? $"\n  … and {more} more" : string.Empty)}");
        }

        return chosen;
    }

    private static string Describe(SweepRecord sweep, DateTimeOffset now) =>
        $"{sweep.Id} ({sweep.Liveness.Describe(now)}, created {sweep.CreatedAt:yyyy-MM-dd HH:mm:ss})";
}
