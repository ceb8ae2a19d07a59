using System.Net.Http.Headers;
using GradDescent.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GradDescent.Dashboard.Tests.Infrastructure;

/// <summary>
/// The dashboard on a real Kestrel port (so a browser can reach it), with its settings passed the way an operator would
/// (configuration keys). SQLite: local silo and worker in-process; PostgreSQL: a client of <see cref="ClusterSilo"/>.
/// </summary>
public sealed class DashboardApp : WebApplicationFactory<DashboardTestEntry>
{
    public const string Key = "test-key-0123456789";

    private readonly Dictionary<string, string?> settings;

    public DashboardApp(string connectionString, IReadOnlyDictionary<string, string?>? extra = null)
    {
        ConnectionString = connectionString;
        settings = new Dictionary<string, string?>
        {
            ["GradDescent:Database:ConnectionString"] = connectionString,
            ["GradDescent:Dashboard:Urls"] = "http://127.0.0.1:0",
            ["GradDescent:Dashboard:ApiKeys:0"] = Key,
            ["GradDescent:Dashboard:LaunchesPerMinute"] = "1000",
            ["GradDescent:Dashboard:LiveInterval"] = "00:00:00.250",
            ["GradDescent:Worker:Slots"] = "1",
            ["GradDescent:Worker:IdlePollInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
    }

    public string ConnectionString { get; }

    /// <summary>Where the dashboard listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The dashboard's own result store (seed sweeps with it, read what launches stored).</summary>
    public IResultStore Store => Services.GetRequiredService<IResultStore>();

    /// <summary>An HTTP client of the real port; with <paramref name="key"/>, it sends <c>Authorization: Bearer key</c>.</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The dashboard serves everything from its assembly; any existing folder will do as content root.
        builder.UseContentRoot(AppContext.BaseDirectory);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
