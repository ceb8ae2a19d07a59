using System.Data.Common;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Storage;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Retry;

namespace GradDescent.Silo.Progress;

/// <summary>
/// The progress source of <c>submit --wait</c>: the sweep grain's snapshot, through the <see cref="PipelineName"/> Polly
/// pipeline. While the control silo does not answer (killed, restarting) each call times out or fails, a circuit breaker
/// stops asking it for a while, and the snapshot is read from the result store instead (the source of truth), so the
/// command follows the sweep through a silo restart and ends when the store says it ended.
/// </summary>
public sealed class ClusterSweepFollower
{
    public const string PipelineName = "submit-follow-sweep";

    /// <summary>Longest wait for one answer of the grain.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the grain is not asked after failures (calls go to the store meanwhile).</summary>
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(10);

    private readonly ISweepGrain grain;
    private readonly IResultStore store;
    private readonly string sweepId;
    private readonly TimeProvider time;
    private readonly TextWriter messages;
    private readonly ResiliencePipeline<SweepSnapshot> pipeline;
    private readonly ResiliencePipeline storeReads;
    private (DateTimeOffset At, long Stored)? storeBaseline;
    private bool following;
    private bool fromStore;

    public ClusterSweepFollower(ISweepGrain grain, IResultStore store, string sweepId, TimeProvider time, TextWriter? messages = null)
    {
        this.grain = grain;
        this.store = store;
        this.sweepId = sweepId;
        this.time = time;
        this.messages = messages ?? Console.Error;
        var failures = new PredicateBuilder<SweepSnapshot>().Handle<Exception>(e => e is not OperationCanceledException);
        pipeline = new ResiliencePipelineBuilder<SweepSnapshot> { Name = PipelineName, TimeProvider = time }
            .AddFallback(new FallbackStrategyOptions<SweepSnapshot>
            {
                ShouldHandle = failures,
                FallbackAction = async args => Outcome.FromResult(await FromStoreAsync(args.Context.CancellationToken)),
                OnFallback = args => following
                    ? ValueTask.CompletedTask
                    : Say($"the control silo does not answer ({args.Outcome.Exception?.GetType().Name}); following sweep {sweepId} in the result store", following: true),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<SweepSnapshot>
            {
                ShouldHandle = failures,
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = BreakDuration,
            })
            .AddTimeout(CallTimeout)
            .Build();
        storeReads = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<DbException>().Handle<TimeoutException>(),
                MaxRetryAttempts = 10,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(10),
            })
            .Build();
    }

    /// <summary>The sweep now: from its grain when the silo answers, else from the store.</summary>
    public async Task<SweepSnapshot> PollAsync(CancellationToken cancellationToken)
    {
        fromStore = false;
        var snapshot = await pipeline.ExecuteAsync(async ct => await grain.GetSnapshotAsync().WaitAsync(ct), cancellationToken);
        if (following && !fromStore)
        {
            await Say("the control silo answers again", following: false);
        }

        return snapshot;
    }

    /// <summary>Status and progress as stored; trials/s counted from the first read of the store.</summary>
    private async Task<SweepSnapshot> FromStoreAsync(CancellationToken cancellationToken)
    {
        var (sweep, progress) = await storeReads.ExecuteAsync(
            async ct =>
            {
                var record = await store.GetSweepAsync(sweepId, ct) ?? throw new KeyNotFoundException($"sweep {sweepId} is no longer in the result store");
                return (record, await store.GetProgressAsync(sweepId, ct));
            },
            cancellationToken);
        fromStore = true;
        storeBaseline ??= (time.GetUtcNow(), progress.Stored);
        return new SweepSnapshot
        {
            SweepId = sweep.Id,
            Name = sweep.Name,
            Experiment = sweep.Experiment,
            State = sweep.Status,
            Total = progress.TotalTrials,
            Completed = progress.Completed,
            Diverged = progress.Diverged,
            Failed = progress.Failed,
            InFlight = 0,
            Best = progress.BestPrimaryMetric,
            StoredThisRun = progress.Stored - storeBaseline.Value.Stored,
            RunStartedAt = storeBaseline.Value.At,
            Error = sweep.Error,
        };
    }

    private ValueTask Say(string message, bool following)
    {
        this.following = following;
        return new ValueTask(messages.WriteLineAsync(message));
    }
}
