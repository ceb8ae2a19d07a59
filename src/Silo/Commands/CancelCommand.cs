using System.CommandLine;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Hosting.Orleans;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent cancel SWEEP</c>: stops handing out a sweep's trials. With PostgreSQL the running
/// cluster's control silo is told (so in-flight batches are dropped); when no silo answers, or with
/// SQLite, the stored state is set directly. Stored results stay; <c>resume</c> continues.
/// </summary>
public sealed class CancelCommand(IResultStore store, IOptions<DatabaseOptions> database, IConfiguration configuration, CancelCommand.Input input)
    : StoreCommand(store, database)
{
    private static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(15);

    public sealed record Input(string SweepId);

    public static Command Create()
    {
        var sweep = CliOptions.SweepId();
        var command = new Command("cancel", "Cancel a sweep; stored results stay and resume continues it.") { sweep };
        command.SetAction((parse, ct) => RunAsync<CancelCommand, Input>(parse, new Input(parse.GetRequiredValue(sweep)), ct));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweep = await RequireSweepAsync(store, input.SweepId, cancellationToken);
        if (sweep.Status is SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed)
        {
            Console.Out.WriteLine($"sweep {sweep.Id} is already {sweep.Status.ToString().ToLowerInvariant()}");
            return ExitCodes.Success;
        }

        if (store.Provider == StorageProvider.PostgreSql && await CancelInClusterAsync(sweep.Id, cancellationToken))
        {
            Console.Out.WriteLine($"sweep {sweep.Id} cancelled by the control silo");
            return ExitCodes.Success;
        }

        await store.SetSweepStatusAsync(sweep.Id, SweepStatus.Cancelled, null, cancellationToken);
        Console.Out.WriteLine($"sweep {sweep.Id} cancelled");
        return ExitCodes.Success;
    }

    /// <summary>Asks the cluster's control silo through a short-lived client over the same configuration.</summary>
    private async Task<bool> CancelInClusterAsync(string sweepId, CancellationToken cancellationToken)
    {
        var builder = CliHost.CreateBuilder(configuration, LogLevel.Critical);
        builder.AddGradDescentClusterClient();
        using var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ClusterTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
            await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepGrain>(sweepId).CancelAsync().WaitAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"no control silo answered ({ex.GetType().Name}); setting the stored state directly");
            return false;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
