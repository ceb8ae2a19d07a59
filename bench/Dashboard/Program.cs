using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;

// seed --db CONNECTION --trials N            stores a completed linear-regression sweep of N trials, prints its id
// measure --url URL --sweep ID --requests N  times the trials page and API requests, prints one JSON object
return args.FirstOrDefault() switch
{
    "seed" => await SeedAsync(Option("--db"), int.Parse(Option("--trials"), CultureInfo.InvariantCulture)),
    "measure" => await MeasureAsync(new Uri(Option("--url")), Option("--sweep"), int.Parse(Option("--requests"), CultureInfo.InvariantCulture)),
    _ => Usage(),
};

string Option(string name) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"missing {name}");

static int Usage()
{
    Console.Error.WriteLine("usage: seed --db CONNECTION --trials N | measure --url URL --sweep ID --requests N");
    return 2;
}

static async Task<int> SeedAsync(string connectionString, int trials)
{
    string[] optimizers = ["gd", "sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad", "adamax", "nadam"];
    var rates = Enumerable.Range(0, 10).Select(i => Math.Pow(10, -4 + (4.0 * i / 9))).ToArray();
    var repeats = (int)Math.Ceiling(trials / 100.0);
    await using var store = ResultStoreFactory.Create(connectionString);
    await store.EnsureSchemaAsync();
    var id = $"bench-trials-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
    var now = DateTimeOffset.UtcNow;
    await store.CreateSweepAsync(new SweepRecord
    {
        Id = id,
        Name = "bench-trials",
        Experiment = "linear-regression",
        Spec = $"""
            name: bench-trials
            experiment: linear-regression
            parameters:
              iterations: 50
              init_intercept: -180
            grid:
              optimizer: [{string.Join(", ", optimizers)}]
              learning_rate: {"{"}log: [1.0e-4, 1.0], count: 10{"}"}
            repeats: {repeats}
            """,
        SpecFormat = "yaml",
        Status = SweepStatus.Completed,
        TotalTrials = trials,
        CreatedAt = now,
    });

    var clock = Stopwatch.StartNew();
    var random = new Random(7);
    for (var start = 0; start < trials; start += 1000)
    {
        var batch = Enumerable.Range(start, Math.Min(1000, trials - start)).Select(i =>
        {
            var point = i / repeats;
            var mse = 100 + (random.NextDouble() * 400);
            var parameters = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["init_intercept"] = "-180",
                ["intercept_grad_scale"] = "1",
                ["iterations"] = "50",
                ["learning_rate"] = rates[point % 10].ToString("R", CultureInfo.InvariantCulture),
                ["optimizer"] = optimizers[point / 10 % 10],
            });
            return new TrialResult
            {
                SweepId = id,
                Index = i,
                Experiment = "linear-regression",
                Parameters = new ParameterSet(parameters),
                Seed = i % repeats,
                Status = i % 17 == 0 ? TrialStatus.Diverged : TrialStatus.Completed,
                Attempts = 1,
                WorkerId = "bench-worker",
                Device = "cpu",
                StartedAt = now.AddMilliseconds(i),
                FinishedAt = now.AddMilliseconds(i + 1),
                DurationMs = 0.5,
                Metrics = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, double>
                {
                    ["intercept"] = -100 - random.NextDouble(),
                    ["mse"] = i % 17 == 0 ? double.NaN : mse,
                    ["slope"] = 3 + random.NextDouble(),
                }),
                Steps = [new StepSeries("loss", [.. Enumerable.Range(0, 50).Select(s => (float)(mse * (1 + (1.0 / (s + 1)))))])],
                DivergedAtStep = i % 17 == 0 ? 12 : null,
            };
        }).ToList();
        await store.SaveResultsAsync(batch);
    }

    Console.Error.WriteLine($"seeded {trials} trials in {clock.Elapsed.TotalSeconds:F1} s");
    Console.Out.WriteLine(id);
    return 0;
}

static async Task<int> MeasureAsync(Uri url, string sweep, int requests)
{
    using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(1) };
    var filter = Uri.EscapeDataString("optimizer = adam and learning_rate < 0.01 and mse < 120");
    var jsonFilter = Uri.EscapeDataString("iterations = 50 and slope > 3.5");
    (string Name, string Path)[] cases =
    [
        ("page: first page", $"/sweeps/{sweep}/trials"),
        ("page: filter + sort -mse", $"/sweeps/{sweep}/trials?filter={filter}&sort=-mse"),
        ("api: first page", $"/api/sweeps/{sweep}/trials?pageSize=50"),
        ("api: filter + sort -mse", $"/api/sweeps/{sweep}/trials?filter={filter}&sort=-mse&pageSize=50"),
        ("api: JSON parameter and metric filter, sort -slope", $"/api/sweeps/{sweep}/trials?filter={jsonFilter}&sort=-slope&pageSize=50"),
        ("api: page 1000 of 2000", $"/api/sweeps/{sweep}/trials?page=1000&pageSize=50"),
    ];
    var results = new JsonArray();
    foreach (var (name, path) in cases)
    {
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync(path)).EnsureSuccessStatusCode();
        }

        var times = new List<double>();
        for (var i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        results.Add(new JsonObject
        {
            ["case"] = name,
            ["requests"] = requests,
            ["p50_ms"] = Math.Round(Percentile(times, 0.50), 1),
            ["p95_ms"] = Math.Round(Percentile(times, 0.95), 1),
            ["max_ms"] = Math.Round(times[^1], 1),
        });
    }

    Console.Out.WriteLine(new JsonObject { ["sweep"] = sweep, ["cases"] = results }.ToJsonString());
    return 0;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
