using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GradDescent.Sweeps.Search;
using GradDescent.Sweeps.Tests.Search;

// graddescent's side of bench/search.sh: one JSON line per (problem, algorithm, batch, seed) with the
// objective of every trial in trial order and the seconds the whole search loop took.
//   dotnet GradDescent.Bench.Search.dll PROBLEM ALGORITHM TRIALS BATCH SEEDS(comma-separated)
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: GradDescent.Bench.Search PROBLEM ALGORITHM TRIALS BATCH SEEDS");
    return 2;
}

var problem = SyntheticObjectives.All.Single(p => p.Name == args[0]);
var algorithm = args[1];
var trials = int.Parse(args[2], CultureInfo.InvariantCulture);
var batch = int.Parse(args[3], CultureInfo.InvariantCulture);
foreach (var seed in args[4].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)))
{
    var driver = new SearchDriver(SearchHarness.Parse(SyntheticObjectives.Spec(problem, algorithm, trials, batch, seed)));
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
        values = results.Select(r => r.Metrics["mse"]).ToArray(),
    }));
}

return 0;
