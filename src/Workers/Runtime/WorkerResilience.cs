using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace GradDescent.Workers.Runtime;

/// <summary>Named Polly pipelines of the worker.</summary>
public static partial class WorkerResilience
{
    public const string ControlPlaneCallsName = "worker-control-plane-calls";

    /// <summary>
    /// Calls to the control plane (lease, heartbeat, complete): retried with capped exponential backoff
    /// while the silo is unreachable or restarting, until the worker is stopped.
    /// </summary>
    /// <param name="connection">Told of every failed attempt (the worker's readiness).</param>
    public static ResiliencePipeline ControlPlaneCalls(ILogger logger, TimeProvider time, ControlPlaneConnection connection) =>
        new ResiliencePipelineBuilder { Name = ControlPlaneCallsName, TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException and not ArgumentException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = args =>
                {
                    connection.Failed(args.Outcome.Exception);
                    LogRetry(logger, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Control plane unreachable (attempt {Attempt}); retrying in {Delay}.")]
    private static partial void LogRetry(ILogger logger, Exception? exception, int attempt, TimeSpan delay);
}
