using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace GradDescent.Workers.Runtime;

/// <summary>Named Polly pipelines of the worker.</summary>
public static partial class WorkerResilience
{
    public const string ControlPlaneCallsName = "worker-control-plane-calls";

    /// <summary>
    /// Calls to the control plane (lease, heartbeat, complete): each attempt limited to <paramref name="callTimeout"/>
    /// (a call in flight when its silo dies fails fast instead of waiting for Orleans' response timeout), retried with
    /// capped exponential backoff while the silo is unreachable or restarting, or while it answers that the result
    /// store is down (the worker then leases nothing, so it computes nothing that could not be stored), until the
    /// worker is stopped. A <see cref="ControlPlaneException"/> is an answer, not an outage: it is not retried.
    /// </summary>
    /// <param name="connection">Told of every failed attempt (the worker's readiness).</param>
    public static ResiliencePipeline ControlPlaneCalls(ILogger logger, TimeProvider time, ControlPlaneConnection connection, TimeSpan callTimeout) =>
        new ResiliencePipelineBuilder { Name = ControlPlaneCallsName, TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException and not ArgumentException and not ControlPlaneException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                // Short enough that a worker reaches the survivor within about 2 s of a dead silo being voted out
                // (docs/architecture.md "Failure recovery"); a retry is one small call, cheap even in a long outage.
                MaxDelay = TimeSpan.FromSeconds(2),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is StoreUnavailableException unavailable)
                    {
                        // The silo answered: the worker is connected, the database behind it is not.
                        connection.Answered();
                        LogStoreUnavailable(logger, args.AttemptNumber + 1, args.RetryDelay, unavailable.Message);
                    }
                    else
                    {
                        connection.Failed(args.Outcome.Exception);
                        LogRetry(logger, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(callTimeout)
            .Build();

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Control plane unreachable (attempt {Attempt}); retrying in {Delay}.")]
    private static partial void LogRetry(ILogger logger, Exception? exception, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Result store unavailable, retrying later (attempt {Attempt}, next in {Delay}); no new work meanwhile: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, int attempt, TimeSpan delay, string reason);
}
