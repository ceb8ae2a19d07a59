using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Grains.Sweeps;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;
using GradDescent.Silo.Progress;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent submit SPEC [--wait]</c>: stores a sweep and hands it to the cluster's control silo.</summary>
public sealed class SubmitCommand : ICommand
{
    public string Name => "submit";

    public string Summary => "Submit a sweep to a running cluster (PostgreSQL); --wait follows it to the end.";

    public string Usage => "submit <spec.yaml> [--wait] [--max-trials N] [--json]";

    public IReadOnlySet<string> Switches { get; } = new HashSet<string> { "wait", "json", "verbose", "no-report" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "db", "max-trials" };

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(1);
        var overrides = GradDescentHosting.Overrides(arguments);
        var configuration = GradDescentHosting.ReadConfiguration(overrides);
        var maxTrials = configuration.GetSection(SweepOptions.Section).Get<SweepOptions>()?.MaxTrials ?? new SweepOptions().MaxTrials;
        var spec = SpecFile.Load(arguments.Positional(0, "spec"), maxTrials);
        OrleansHosting.ClusteringConnectionString(configuration, configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions());

        var builder = GradDescentHosting.CreateBuilder(overrides, arguments.Has("verbose") ? LogLevel.Information : LogLevel.Warning);
        builder.AddClusterClient();
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        await using var store = await GradDescentHosting.OpenStoreAsync(configuration, cancellationToken);
        var record = spec.NewRecord(DateTimeOffset.UtcNow);
        await store.CreateSweepAsync(record, cancellationToken);
        var sweep = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepGrain>(record.Id);
        await sweep.StartAsync().WaitAsync(cancellationToken);
        Console.Out.WriteLine(arguments.Has("json") ? $"{{\"event\":\"submitted\",\"sweep\":\"{record.Id}\",\"total\":{record.TotalTrials}}}" : $"submitted sweep {record.Id} ({record.TotalTrials} trials)");
        if (!arguments.Has("wait"))
        {
            await host.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        }

        var output = SessionOutputs.For(arguments);
        var final = await new SweepWatcher(sweep.GetSnapshotAsync, TimeProvider.System, output.Json).WatchAsync(cancellationToken);
        await output.FinishAsync(final, store, cancellationToken);
        await host.StopAsync(CancellationToken.None);
        return final.State == SweepStatus.Completed ? ExitCodes.Success : ExitCodes.Failure;
    }
}
