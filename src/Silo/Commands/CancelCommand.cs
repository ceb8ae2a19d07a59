using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;
using GradDescent.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent cancel SWEEP</c>: stops handing out a sweep's trials. With PostgreSQL the running
/// cluster's control silo is told (so in-flight batches are dropped); when no silo answers, or with
/// SQLite, the stored state is set directly. Stored results stay; <c>resume</c> continues.
/// </summary>
public sealed class CancelCommand : StoreCommand
{
    private static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(15);

    public override string Name => "cancel";

    public override string Summary => "Cancel a sweep; stored results stay and resume continues it.";

    public override string Usage => "cancel <sweep-id> [--db PATH|CONNECTION]";

    public override IReadOnlySet<string> Switches { get; } = new HashSet<string>();

    protected override async Task<int> RunAsync(CommandArguments arguments, IResultStore store, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(1);
        var sweep = await RequireSweepAsync(store, arguments.Positional(0, "sweep-id"), cancellationToken);
        if (sweep.Status is SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed)
        {
            Console.Out.WriteLine($"sweep {sweep.Id} is already {sweep.Status.ToString().ToLowerInvariant()}");
            return ExitCodes.Success;
        }

        if (store.Provider == StorageProvider.PostgreSql && await CancelInClusterAsync(arguments, sweep.Id, cancellationToken))
        {
            Console.Out.WriteLine($"sweep {sweep.Id} cancelled by the control silo");
            return ExitCodes.Success;
        }

        await store.SetSweepStatusAsync(sweep.Id, SweepStatus.Cancelled, null, cancellationToken);
        Console.Out.WriteLine($"sweep {sweep.Id} cancelled");
        return ExitCodes.Success;
    }

    private static async Task<bool> CancelInClusterAsync(CommandArguments arguments, string sweepId, CancellationToken cancellationToken)
    {
        var builder = GradDescentHosting.CreateBuilder(GradDescentHosting.Overrides(arguments), LogLevel.Critical);
        builder.AddClusterClient();
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
