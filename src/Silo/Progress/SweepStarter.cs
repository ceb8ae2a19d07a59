using GradDescent.Abstractions.Grains;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Polly;
using Polly.Retry;

namespace GradDescent.Silo.Progress;

/// <summary>
/// Hands a stored sweep to its grain for <c>submit</c>. Starting is idempotent (a running sweep stays running, the
/// dispatcher knows a sweep once), so a start the control silo did not confirm in time (busy, restarting, its store
/// slow) is asked again through the <see cref="PipelineName"/> Polly pipeline instead of leaving a stored sweep that no
/// grain runs while the command fails.
/// </summary>
public static class SweepStarter
{
    public const string PipelineName = "submit-start-sweep";

    /// <summary>Starts the sweep, asking again after failures that say the silo did not answer; other errors propagate.</summary>
    public static async Task<SweepSnapshot> StartAsync(
        ISweepGrain grain, string sweepId, TimeProvider time, TextWriter messages, CancellationToken cancellationToken,
        int maxRetryAttempts = 4)
    {
        var pipeline = new ResiliencePipelineBuilder<SweepSnapshot> { Name = PipelineName, TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<SweepSnapshot>
            {
                ShouldHandle = new PredicateBuilder<SweepSnapshot>()
                    .Handle<TimeoutException>()
                    .Handle<SiloUnavailableException>()
                    .Handle<ConnectionFailedException>()
                    .Handle<OrleansMessageRejectionException>(),
                MaxRetryAttempts = maxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(10),
                OnRetry = args =>
                {
                    messages.WriteLine(
                        $"the control silo did not confirm the start of sweep {sweepId} ({args.Outcome.Exception?.GetType().Name}); asking again");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        return await pipeline.ExecuteAsync(async token => await grain.StartAsync().WaitAsync(token), cancellationToken);
    }
}
