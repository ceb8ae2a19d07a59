using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GradDescent.Workers.Tests.Adversarial;

/// <summary>An <see cref="ILogger"/> that keeps every entry (event id and formatted message) for assertions.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<(int EventId, string Message)> entries = new();

    public IReadOnlyList<(int EventId, string Message)> Entries => [.. entries];

    public IReadOnlyList<string> MessagesOf(int eventId) => Entries.Where(e => e.EventId == eventId).Select(e => e.Message).ToList();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        entries.Enqueue((eventId.Id, formatter(state, exception)));
}
