using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GradDescent.Bench.Search;
using GradDescent.Sweeps.Search;
using GradDescent.Sweeps.Tests.Search;

// graddescent's side of bench/search.sh: one JSON line per (problem, algorithm, batch, seed) with the
// objective of every trial in trial order and the seconds the whole search loop took.
//   dotnet GradDescent.Bench.Search.dll PROBLEM ALGORITHM TRIALS BATCH SEEDS(comma-separated)
//   dotnet GradDescent.Bench.Search.dll linreg-stopping ALGORITHM TRIALS BATCH SEEDS EARLY_STOPPING|none
// The second form runs the linreg problem with early stopping (EarlyStoppingRun) and also prints the iterations computed.
if (args.Length != 5 && !(args.Length == 6 && args[0] == "linreg-stopping"))
{
    Console.Error.WriteLine("usage: GradDescent.Bench.Search PROBLEM ALGORITHM TRIALS BATCH SEEDS | linreg-stopping ALGORITHM TRIALS BATCH SEEDS EARLY_STOPPING|none");
    return 2;
}

if (args.Length == 6 && args[0] == "linreg-stopping")
{
    // linreg-stopping ALGORITHM TRIALS BATCH SEEDS EARLY_STOPPING ("none" or the early_stopping mapping)
    var stopping = args[5] == "none" ? null : args[5];
    foreach (var seed in args[4].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)))
    {
        var spec = EarlyStoppingRun.Spec(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), seed, stopping);
        var (values, iterations, pruned, divergedIterations) = EarlyStoppingRun.Run(new SearchDriver(spec));
        Console.WriteLine(JsonSerializer.Serialize(new { tool = "graddescent", problem = "linreg", algorithm = args[1], early_stopping = stopping, seed, iterations, pruned, diverged_iterations = divergedIterations, values }));
    }

    return 0;
}

var problem = SyntheticObjectives.All.Append(LinearRegressionObjective.Problem).Single(p => p.Name == args[0]);
var algorithm = args[1];
var trials = int.Parse(args[2], CultureInfo.InvariantCulture);
var batch = int.Parse(args[3], CultureInfo.InvariantCulture);

// BENCH_SEARCH_EXTRA: more lines for the search section (e.g. "  startup_trials: 30\n"), to compare settings.
var extra = (Environment.GetEnvironmentVariable("BENCH_SEARCH_EXTRA") ?? string.Empty).Replace("\\n", "\n", StringComparison.Ordinal);
foreach (var seed in args[4].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)))
{
    var driver = new SearchDriver(SearchHarness.Parse(SyntheticObjectives.Spec(problem, algorithm, trials, batch, seed, extra)));
    var clock = Stopwatch.StartNew();
    var results = SearchHarness.Run(driver, problem.Evaluate);
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        tool = "graddescent",
        problem = problem.Name,
        algorithm,
        batch,
        seed,
        seconds,
        values = results.Select(r => r.Metrics["mse"]).Select(v => double.IsFinite(v) ? v : (double?)null).ToArray(),
    }));
}

return 0;
