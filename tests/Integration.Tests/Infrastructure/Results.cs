using Xunit;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>Reads what a sweep stored, straight from the database the CLI wrote.</summary>
public static class Results
{
    public static async Task<List<TrialResult>> ReadAsync(string connectionString, string sweepId)
    {
        await using var store = ResultStoreFactory.Create(connectionString);
        var results = new List<TrialResult>();
        await foreach (var result in store.GetResultsAsync(sweepId))
        {
            results.Add(result);
        }

        return results;
    }

    /// <summary>
    /// Waits until <c>graddescent status</c> shows a killed local run's sweep as <c>interrupted</c> (its heartbeat gone
    /// stale), the moment <c>resume</c> accepts it.
    /// </summary>
    public static Task WaitUntilInterruptedAsync(string sweepId, string database, TimeSpan timeout) =>
        Polling.UntilAsync(
            async () =>
            {
                var status = await CliProcess.RunAsync(["status", sweepId, "--db", database, "--json"]);
                var shown = status.ExitCode == 0 ? (string?)System.Text.Json.Nodes.JsonNode.Parse(status.Stdout)!["status"] : status.Stderr;
                return (shown == "interrupted", true, shown ?? "no status");
            },
            timeout,
            TimeSpan.FromSeconds(1),
            seen => $"sweep {sweepId} was not shown as interrupted within {timeout}; last status: {seen}");

    public static async Task<string> OnlySweepIdAsync(string connectionString)
    {
        await using var store = ResultStoreFactory.Create(connectionString);
        return Assert.Single(await store.ListSweepsAsync()).Id;
    }
}
