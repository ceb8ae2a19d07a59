using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>How a connection attempt of <see cref="HandWrittenClient"/> ended.</summary>
/// <param name="Host">The started client host, when the gateway let it in.</param>
/// <param name="Refusal">Why the gateway closed the connection (the client's own log line), when it did not.</param>
public sealed record ConnectionOutcome(IHost? Host, string? Refusal) : IDisposable
{
    public IClusterClient Client => Host?.Services.GetRequiredService<IClusterClient>() ?? throw new InvalidOperationException($"not connected: {Refusal}");

    public void Dispose() => Host?.Dispose();
}

/// <summary>
/// An Orleans client written from scratch, as the attacker of issue #11 wrote it: the gateway's address and the cluster
/// id, no database, no graddescent code. With a certificate it speaks TLS and accepts whatever the silo presents.
/// </summary>
public static class HandWrittenClient
{
    /// <summary>
    /// Starts the client. An Orleans client keeps retrying a gateway that drops it, so a refusal is observed as it
    /// happens: the client logs that its connection attempt failed (twice, so it is not a fluke) before it has started.
    /// </summary>
    public static async Task<ConnectionOutcome> ConnectAsync(int gatewayPort, string clusterId, X509Certificate2? certificate, TimeSpan timeout)
    {
        var failures = new ConnectionFailures(attempts: 2);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(failures);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "graddescent";
            });
            if (certificate is not null)
            {
                client.UseTls(certificate, tls => tls.AllowAnyRemoteCertificate());
            }
        });
        var host = builder.Build();
        using var stop = new CancellationTokenSource();
        var start = host.StartAsync(stop.Token);
        var first = await Task.WhenAny(start, failures.Refused, Task.Delay(timeout));
        if (first == start && start.IsCompletedSuccessfully)
        {
            return new ConnectionOutcome(host, Refusal: null);
        }

        await stop.CancelAsync();
        try
        {
            await start;
        }
        catch (Exception e) when (e is OperationCanceledException || first == start)
        {
            // Refused (or failed outright): what matters is that it never started.
        }

        host.Dispose();
        return first == failures.Refused
            ? new ConnectionOutcome(null, await failures.Refused)
            : first == start
                ? new ConnectionOutcome(null, $"start failed: {start.Exception?.GetBaseException().Message}")
                : throw new TimeoutException($"the client neither connected nor was refused within {timeout}");
    }

    /// <summary>Completes with the client's log line once its connection attempts failed <c>attempts</c> times.</summary>
    private sealed class ConnectionFailures(int attempts) : ILoggerProvider, ILogger
    {
        private readonly TaskCompletionSource<string> refused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int seen;

        public Task<string> Refused => refused.Task;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (message.StartsWith("Connection attempt to endpoint", StringComparison.Ordinal) && Interlocked.Increment(ref seen) >= attempts)
            {
                refused.TrySetResult($"{message}: {exception?.Message}");
            }
        }

        public void Dispose()
        {
        }
    }
}
