using System.CommandLine;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Grains.Extensions;
using GradDescent.Grains.Sweeps;
using GradDescent.Hosting.Orleans;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Progress;
using GradDescent.Storage;
using GradDescent.Storage.Extensions;
using GradDescent.Sweeps;
using GradDescent.Workers.FileAccess;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent submit SPEC [--wait]</c>: stores a sweep and hands it to the cluster's control silo. File parameters are
/// checked for form only: the workers, not this client, see the files, and they check them against their own roots.
/// <c>--wait</c> follows the sweep to its end through silo restarts (<see cref="ClusterSweepFollower"/>).
/// </summary>
public sealed class SubmitCommand(
    IHost host, IGrainFactory grains, IOptions<SweepOptions> sweeps, IResultStore store, TimeProvider time, SubmitCommand.Input input)
    : ICommandHandler
{
    /// <summary>How long submit waits for a silo started at the same time (<c>silo &amp; worker &amp; submit</c>).</summary>
    private static readonly TimeSpan SiloStartPatience = TimeSpan.FromMinutes(2);

    public sealed record Input(string SpecPath, bool Wait, SessionSettings Settings);

    public static Command Create()
    {
        var spec = CliOptions.Spec();
        var wait = new Option<bool>("--wait") { Description = "Follow the sweep to its end (progress lines, result, report)." };
        var command = new Command("submit", "Submit a sweep to a running cluster (PostgreSQL); --wait follows it to the end.")
        {
            spec, wait, CliOptions.MaxTrials(),
        };
        var settings = SessionSettings.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var input = new Input(parse.GetRequiredValue(spec), parse.GetValue(wait), settings(parse));
            return CliHost.RunAsync<SubmitCommand>(
                parse,
                builder =>
                {
                    builder.Services.AddGradDescentStorage().AddGradDescentStoreSchemaAtStart();
                    builder.AddGradDescentClusterClient(waitForCluster: SiloStartPatience);
                    builder.Services.AddGradDescentControlPlane();
                    builder.Services.AddSingleton(input);
                },
                ct,
                input.Settings.Verbose ? LogLevel.Information : LogLevel.Warning);
        });
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var spec = SpecFile.Load(input.SpecPath, new SweepSpecLimits { MaxTrials = sweeps.Value.MaxTrials });
        await host.StartAsync(cancellationToken);
        try
        {
            var record = spec.NewRecord(time.GetUtcNow());
            await store.CreateSweepAsync(record, cancellationToken);
            var sweep = grains.GetGrain<ISweepGrain>(record.Id);
            await SweepStarter.StartAsync(sweep, record.Id, time, Console.Error, cancellationToken);
            Console.Out.WriteLine(input.Settings.Json
                ? new JsonObject { ["event"] = "submitted", ["sweep"] = record.Id, ["total"] = record.TotalTrials }.ToJsonString()
                : $"submitted sweep {record.Id} ({record.TotalTrials} trials)");
            if (!input.Wait)
            {
                return ExitCodes.Success;
            }

            var follower = new ClusterSweepFollower(sweep, store, record.Id, time);
            var final = await new SweepWatcher(() => follower.PollAsync(cancellationToken), time, input.Settings.Json).WatchAsync(cancellationToken);
            await new SessionOutput(input.Settings, store, time).FinishAsync(final, cancellationToken);
            return final.State switch
            {
                SweepStatus.Completed => ExitCodes.Success,
                SweepStatus.Cancelled => ExitCodes.Cancelled,
                _ => ExitCodes.Failure,
            };
        }
        finally
        {
            // Bounded: a client whose silo is gone must not hold the exit.
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(stopping.Token);
        }
    }
}
