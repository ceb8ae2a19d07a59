using GradDescent.Abstractions.Storage;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace GradDescent.Storage.Resilience;

/// <summary>
/// The named Polly pipeline every result-store write runs through: transient errors are retried with exponential
/// backoff and jitter until <see cref="ResultStoreOptions.TransientRetryBudget"/> is spent (a PostgreSQL restart takes
/// seconds to tens of seconds), then the write fails with <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed class StorageResilience
{
    public const string WritePipelineName = "graddescent-storage-writes";

    private static readonly ResiliencePropertyKey<long> StartedKey = new("graddescent-write-started");

    private readonly ResiliencePipeline pipeline;
    private readonly ResultStoreOptions options;

    public StorageResilience(ResultStoreOptions options, ILogger logger)
    {
        this.options = options;
        var builder = new ResiliencePipelineBuilder { Name = WritePipelineName, TimeProvider = options.TimeProvider };
        if (options.MaxRetryAttempts > 0 && options.TransientRetryBudget > TimeSpan.Zero)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "transient-retry",
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && DatabaseErrors.IsTransient(e) && Elapsed(args.Context) < options.TransientRetryBudget),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    StorageLog.RetryingWrite(logger, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds, Reason(args.Outcome.Exception));
                    return default;
                },
            });
        }

        pipeline = builder.Build();
    }

    /// <summary>A transient error in one line: the type and the first line of the message (no stack trace).</summary>
    private static string Reason(Exception? exception) =>
        exception is null ? "unknown error" : $"{exception.GetType().Name}: {exception.Message.Split('\n', 2)[0].Trim()}";

    /// <summary>Runs one write; transient errors are retried within the budget.</summary>
    /// <exception cref="StoreUnavailableException">Transient errors lasted the whole budget.</exception>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> write, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StartedKey, options.TimeProvider.GetTimestamp());
        try
        {
            return await pipeline.ExecuteAsync(static (ctx, write) => write(ctx.CancellationToken), context, write).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StoreUnavailableException && DatabaseErrors.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            var elapsed = Elapsed(context);
            throw new StoreUnavailableException(
                $"the result store stayed unavailable for {elapsed.TotalSeconds:0.#} s of retries (budget {options.TransientRetryBudget.TotalSeconds:0.#} s): {DatabaseErrors.Describe(e)}", e)
            {
                RetriedFor = elapsed,
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <inheritdoc cref="ExecuteAsync{T}(Func{CancellationToken, ValueTask{T}}, CancellationToken)"/>
    public Task ExecuteAsync(Func<CancellationToken, ValueTask> write, CancellationToken cancellationToken) =>
        ExecuteAsync<bool>(
            async ct =>
            {
                await write(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    private TimeSpan Elapsed(ResilienceContext context) =>
        context.Properties.TryGetValue(StartedKey, out var started) ? options.TimeProvider.GetElapsedTime(started) : TimeSpan.Zero;
}
