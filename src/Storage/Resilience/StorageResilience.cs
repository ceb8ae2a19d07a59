using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace GradDescent.Storage.Resilience;

/// <summary>The named Polly pipeline every result-store write runs through.</summary>
internal static class StorageResilience
{
    public const string WritePipelineName = "graddescent-storage-writes";

    /// <summary>Retries transient database errors with exponential backoff and jitter.</summary>
    public static ResiliencePipeline CreateWritePipeline(ResultStoreOptions options, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { Name = WritePipelineName };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "transient-retry",
                ShouldHandle = new PredicateBuilder().Handle<Exception>(DatabaseErrors.IsTransient),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    StorageLog.RetryingWrite(logger, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        return builder.Build();
    }
}
