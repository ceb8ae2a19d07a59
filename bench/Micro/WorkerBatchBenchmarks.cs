using BenchmarkDotNet.Attributes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Workers.Experiments.LinearRegression;
using GradDescent.Workers.Runtime;
using GradDescent.Workers.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace GradDescent.Bench.Micro;

/// <summary>
/// What a worker does with a leased batch of the linear-regression trials of <see cref="LinearRegressionBenchmarks"/>:
/// <see cref="TrialExecutor.Execute"/> validates every trial, groups them by fusion key, runs the group fused and
/// turns each outcome into the <see cref="TrialResult"/> it sends to be stored (sorted metrics, step series, document
/// text). The gap to <see cref="LinearRegressionBenchmarks"/> is what validation and result conversion cost.
/// </summary>
[MemoryDiagnoser]
public class WorkerBatchBenchmarks
{
    private ServiceProvider? services;
    private TrialExecutor? executor;
    private List<TrialSpec> batch = [];

    [Params(1000)]
    public int Trials { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        executor = new TrialExecutor(
            new ExperimentRegistry([new LinearRegressionExperiment()]),
            TimeProvider.System,
            new WorkerTelemetry(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            NullLogger<TrialExecutor>.Instance);
        batch = TrialBatches.Bind(LinearRegressionDefinition.Instance, Trials, i => new Dictionary<string, object?>
        {
            ["optimizer"] = "gd",
            ["iterations"] = "50",
            ["init_intercept"] = "-180",
            ["learning_rate"] = TrialBatches.LearningRate(1e-5, i, Trials),
        }).Select((t, i) => new TrialSpec("bench", i, LinearRegressionDefinition.Name, t.Parameters, t.Seed, 1)).ToList();
        Execute();
    }

    [GlobalCleanup]
    public void Cleanup() => services?.Dispose();

    [Benchmark]
    public int Execute() => executor!.Execute(batch, null, torch.CPU, "bench", Trials, CancellationToken.None).Results.Length;
}
