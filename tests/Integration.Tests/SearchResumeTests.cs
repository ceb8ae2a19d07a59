using System.Text.Json.Nodes;
using GradDescent.Abstractions.Trials;
using GradDescent.Integration.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// An adaptive search (TPE with ASHA) run with the CLI, killed with SIGKILL mid-sweep and resumed, must store exactly
/// what an uninterrupted run stores: the same proposals, the same pruned trials at the same iterations
/// (docs/search.md, "Determinism and exact resume").
/// </summary>
public sealed class SearchResumeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    /// <summary>TPE over 40 trials in generations of 4, ASHA on the loss at iterations/20, ·3, ·9.</summary>
    internal static string TpeAsha(string name, int iterations = 20000) => $"""
        name: {name}
        experiment: linear-regression
        parameters: {"{"}iterations: {iterations}, init_slope: 6.04, init_intercept: -180{"}"}
        search:
          algorithm: tpe
          trials: 40
          batch: 4
          seed: 7
          startup_trials: 8
          space:
            optimizer: {"{"}choice: [sgd, momentum, adam]{"}"}
            learning_rate: {"{"}log_uniform: [1.0e-5, 1.0e-1]{"}"}
            momentum: {"{"}uniform: [0.0, 0.99], when: {"{"}optimizer: [momentum]{"}"}{"}"}
        early_stopping: {"{"}algorithm: asha, metric_step: {iterations / 20}, min_iterations: {iterations / 20}, reduction_factor: 3{"}"}
        """;

    [Fact]
    public async Task Resume_TpeAshaSweepAfterKillDashNine_StoresWhatAnUninterruptedRunStores()
    {
        using var folder = new TempFolder();
        var whole = folder.File("whole.db");
        var killed = folder.File("killed.db");
        var spec = folder.Write("tpe.yaml", TpeAsha("it-tpe-resume"));

        var uninterrupted = await CliProcess.RunAsync(["run", spec, "--db", whole, "--json", "--no-report"], timeout: Generous);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stderr);

        await using (var first = CliProcess.Start(["run", spec, "--db", killed, "--json", "--no-report"]))
        {
            await first.WaitForLineAsync(
                line => line.Contains("\"event\":\"progress\"", StringComparison.Ordinal) && (long)JsonNode.Parse(line)!["done"]! >= 8,
                Generous,
                "reporting two stored generations");
            first.KillHard();
            await first.WaitForExitAsync(Generous);
        }

        var sweepId = await Results.OnlySweepIdAsync($"Data Source={killed}");
        var beforeResume = await Results.ReadAsync($"Data Source={killed}", sweepId);
        Assert.InRange(beforeResume.Count, 8, 39);
        await Results.WaitUntilInterruptedAsync(sweepId, killed, Generous);
        var resume = await CliProcess.RunAsync(["resume", sweepId, "--db", killed, "--json", "--no-report"], timeout: Generous);
        Assert.True(resume.ExitCode == 0, resume.Stderr);

        var expected = await Results.ReadAsync($"Data Source={whole}", await Results.OnlySweepIdAsync($"Data Source={whole}"));
        var actual = await Results.ReadAsync($"Data Source={killed}", sweepId);
        Assert.Equal(40, expected.Count);
        Assert.Contains(expected, r => r.Status == TrialStatus.Pruned);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    /// <summary>Per trial: index, parameters, status, where a pruned trial stopped, and its final metrics.</summary>
    internal static List<string> Describe(IEnumerable<TrialResult> results) =>
        [.. results.OrderBy(r => r.Index).Select(r =>
            $"{r.Index} {r.Parameters} {r.Status} steps={r.Steps.FirstOrDefault(s => s.Metric == "loss")?.Values.Length} {string.Join(' ', r.Metrics.Select(m => $"{m.Key}={m.Value:R}"))}")];
}
