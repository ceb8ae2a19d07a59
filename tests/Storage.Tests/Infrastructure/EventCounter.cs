using Microsoft.Extensions.Logging;

namespace GradDescent.Storage.Tests.Infrastructure;

/// <summary>A logger factory that counts log events with one event id and lets a test wait for the n-th.</summary>
public sealed class EventCounter(int eventId) : ILoggerFactory, ILogger
{
    private readonly Lock gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> waiters = [];
    private int count;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    /// <summary>Completes when <paramref name="target"/> events have been logged; fails with a message after the timeout.</summary>
    public async Task WaitForAsync(int target, TimeSpan timeout)
    {
        TaskCompletionSource reached;
        lock (gate)
        {
            if (count >= target)
            {
                return;
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((target, reached));
        }

        try
        {
            await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"expected {target} log events with id {eventId} within {timeout}, saw {Count}");
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (id.Id != eventId)
        {
            return;
        }

        lock (gate)
        {
            count++;
            foreach (var waiter in waiters.Where(w => w.Count <= count).ToList())
            {
                waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
