using System.Net;
using System.Runtime.CompilerServices;
using GradDescent.Abstractions.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace GradDescent.Hosting.Telemetry;

/// <summary>
/// Serves <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> on <see cref="TelemetryOptions.Host"/>:<see cref="TelemetryOptions.Port"/>
/// from a small Kestrel app beside a host that is not itself a web app (silo, worker, run). Register it
/// first, so probes answer while the services after it start. It also creates every registered
/// <see cref="IComponentTelemetry"/> at start, port or not. With port 0 (a local <c>run</c>) nothing of ASP.NET Core
/// is loaded: the Kestrel app is built in a method of its own, which only a port compiles.
/// </summary>
internal sealed partial class TelemetryEndpoint(
    IOptions<TelemetryOptions> options, IServiceProvider services, ILogger<TelemetryEndpoint> logger) : IHostedService, IAsyncDisposable
{
    private IHost? app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Every component's instruments exist from now on, so their series are in the first scrape.
        _ = services.GetServices<IComponentTelemetry>().ToList();
        _ = services.GetRequiredService<MeterProvider>();
        var settings = options.Value;
        if (settings.Port == 0)
        {
            return;
        }

        app = await ServeAsync(settings, cancellationToken);
        LogListening(logger, settings.Host, settings.Port);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<IHost> ServeAsync(TelemetryOptions settings, CancellationToken cancellationToken)
    {
        var web = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(TelemetryEndpoint).Assembly.GetName().Name });
        web.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            if (settings.Host == "localhost")
            {
                kestrel.ListenLocalhost(settings.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(settings.Host), settings.Port);
            }
        });
        web.Services.AddRoutingCore();
        web.Services.AddSingleton(services.GetRequiredService<ILoggerFactory>());
        web.Services.AddSingleton(services.GetRequiredService<HealthCheckService>());
        var built = web.Build();
        built.MapGradDescentTelemetry(services.GetRequiredService<MeterProvider>());
        try
        {
            await built.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await built.DisposeAsync();
            throw new InvalidOperationException(
                $"cannot serve metrics on {settings.Host}:{settings.Port} ({e.Message}); choose another port with --metrics-port or "
                + "GradDescent__Telemetry__Port (0 turns the endpoint off)",
                e);
        }

        return built;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Serving /metrics, /healthz and /readyz on http://{Host}:{Port}")]
    private static partial void LogListening(ILogger logger, string host, int port);
}
