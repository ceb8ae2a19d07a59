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

    public static async Task<string> OnlySweepIdAsync(string connectionString)
    {
        await using var store = ResultStoreFactory.Create(connectionString);
        return Assert.Single(await store.ListSweepsAsync()).Id;
    }
}
