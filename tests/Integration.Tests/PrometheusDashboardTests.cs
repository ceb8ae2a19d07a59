using System.Globalization;
using System.Text.Json.Nodes;
using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Testing.CustomResources;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage.Tests.Infrastructure;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace GradDescent.Integration.Tests;

/// <summary>
/// The monitoring artefacts against the real thing: a Prometheus server scrapes a control silo and two workers
/// (separate processes on PostgreSQL) through a sweep in which a result-store write fails and a worker is killed
/// with SIGKILL; afterwards every query of the Grafana dashboard, every variable, every alerting rule and the
/// autoscaler's query run on that Prometheus, and its counters agree with the store.
/// </summary>
public sealed class PrometheusDashboardTests(PostgresDatabaseFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    /// <summary>Scrape and rule evaluation interval: short, so a sweep of a few seconds leaves many samples.</summary>
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Grafana's <c>$__rate_interval</c> is at least four scrape intervals; 10 s leaves room for scrapes that come
    /// late on a loaded machine. <c>$__interval</c> is the step of a panel a few hundred pixels wide over minutes.
    /// </summary>
    private const string RateInterval = "10s";
    private const string Interval = "2s";

    /// <summary>The label Kubernetes service discovery gives every target; the dashboard and the autoscaler filter on it.</summary>
    private const string Namespace = "graddescent";

    private const int SweepTrials = 32;

    [Fact]
    public async Task SiloAndTwoWorkers_ScrapedThroughASweepWithAWriteErrorAndAKilledWorker_DashboardRulesAndCountersHold()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("dashboard.yaml", Specs.SlowVectorSpread("it-dashboard", seeds: SweepTrials / 2, iterations: 600));
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var (siloPort, survivorPort, victimPort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var environment = new Dictionary<string, string>
        {
            ["GradDescent__Database__ConnectionString"] = connection,
            ["GradDescent__Cluster__ClusterId"] = $"it-{Guid.NewGuid():N}",
            ["GradDescent__Cluster__SiloPort"] = FreePorts.NextText(),
            ["GradDescent__Cluster__GatewayPort"] = FreePorts.NextText(),
            // Short leases: the killed worker's batch goes back to the queue within seconds.
            ["GradDescent__Sweeps__LeaseDuration"] = "00:00:03",
            ["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100",
        };
        var started = DateTimeOffset.UtcNow;
        await using var prometheus = await PrometheusServer.StartAsync(
            [new("graddescent-silo", siloPort), new("graddescent-worker", survivorPort), new("graddescent-worker", victimPort)],
            [Path.Combine(RepositoryLayout.Prometheus, "rules.yaml")],
            new Dictionary<string, string> { ["namespace"] = Namespace },
            ScrapeInterval,
            Generous);
        await using var silo = CliProcess.Start(["silo", "--metrics-port", $"{siloPort}"], environment);
        await using var survivor = CliProcess.Start(Worker("survivor", survivorPort), environment);
        await using var victim = CliProcess.Start(Worker("victim", victimPort), environment);
        await Scrape.WaitUntilReadyAsync(siloPort, Generous, silo);
        await Scrape.WaitUntilReadyAsync(survivorPort, Generous, survivor);
        await Scrape.WaitUntilReadyAsync(victimPort, Generous, victim);

        // The survivor waits frozen (SIGSTOP) while the victim alone takes leases, so that the silo's count of
        // trials out on leases tells whether the victim, frozen in turn, holds one.
        survivor.Signal("STOP");
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], environment);
        var sweepId = (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;

        // A lease expiry, for real: the victim freezes mid-batch (no heartbeats), the survivor resumes, the silo
        // reclaims the victim's lease when it expires and hands its trials to the survivor; then the victim is
        // killed with SIGKILL.
        var attempts = await FreezeHoldingALeaseAsync(victim, victimPort, siloPort, silo);
        output.WriteLine($"victim frozen holding a lease at attempt {attempts}");
        survivor.Signal("CONT");
        await Scrape.WaitForSumAsync(siloPort, "graddescent_leases_expired_total", v => v >= 1, Generous, "at least 1 (the frozen worker's lease)", silo);
        victim.KillHard();

        // A store write error, for real: the trials table refuses inserts until the silo has counted a failed
        // write (the batch runs again), then accepts them again.
        await ExecuteAsync(connection, """
            CREATE FUNCTION it_refuse_trials() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'integration test: the result store refuses writes'; END $$;
            CREATE TRIGGER it_refuse_trials BEFORE INSERT ON trials FOR EACH STATEMENT EXECUTE FUNCTION it_refuse_trials();
            """);
        await Scrape.WaitForSumAsync(siloPort, "graddescent_store_write_errors_total", v => v >= 1, Generous, "at least 1 (a refused write)", silo);
        await ExecuteAsync(connection, "DROP TRIGGER it_refuse_trials ON trials; DROP FUNCTION it_refuse_trials();");

        var exitCode = await submit.WaitForExitAsync(Generous);
        var finished = DateTimeOffset.UtcNow;
        Assert.True(exitCode == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}\nsurvivor:\n{survivor.Stderr}");

        // Every trial stored once; Prometheus' counters, scraped after the sweep ended, say the same.
        var stored = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, SweepTrials).Select(i => (long)i), stored.Select(r => r.Index).Order());
        await prometheus.WaitForValueAsync(
            """timestamp(graddescent_sweeps_active{job="graddescent-silo"})""",
            t => t >= finished.ToUnixTimeSeconds(),
            Generous,
            "a scrape taken after the sweep ended");
        Assert.Equal(stored.Count, await prometheus.ScalarAsync("sum(graddescent_trials_completed_total)"));
        foreach (var outcome in stored.GroupBy(r => r.Status.ToString().ToLowerInvariant()))
        {
            Assert.Equal(outcome.Count(), await prometheus.ScalarAsync($"sum(graddescent_trials_completed_total{{outcome=\"{outcome.Key}\"}})"));
        }

        Assert.True(await prometheus.ScalarAsync("sum(graddescent_store_write_errors_total)") >= 1, "Prometheus saw no store write error");
        Assert.True(await prometheus.ScalarAsync("sum(graddescent_leases_expired_total)") >= 1, "Prometheus saw no lease expiry");

        // The dashboard as Grafana would draw it at the sweep's last scraped moment (its per-sweep series end with it).
        var lastMoment = await LastMomentAsync(prometheus, $"graddescent_sweep_trials_done{{sweep=\"{sweepId}\"}}", started, DateTimeOffset.UtcNow);
        var dashboard = GrafanaDashboard.Load(Path.Combine(RepositoryLayout.Grafana, "graddescent-overview.json"));
        var values = new Dictionary<string, string>
        {
            ["namespace"] = Namespace,
            ["sweep"] = sweepId,
            ["experiment"] = "vector-spread",
            ["pool"] = "cpu",
        };
        var empty = new List<string>();
        foreach (var query in dashboard.Queries)
        {
            var expression = GrafanaDashboard.Substitute(query.Expression, values, RateInterval, Interval);
            if ((await prometheus.QueryAsync(expression, lastMoment)).Count == 0)
            {
                empty.Add($"panel {query.PanelId} '{query.PanelTitle}' {query.RefId}: {expression}");
            }
        }

        Assert.True(empty.Count == 0, $"dashboard queries without data at {lastMoment:O}:\n{string.Join('\n', empty)}");

        // Each variable lists the values the run produced (Grafana's label_values is Prometheus' label values API).
        foreach (var (name, variable) in dashboard.Variables)
        {
            if (GrafanaDashboard.LabelValuesQuery(variable) is { } labelValues)
            {
                Assert.Contains(values[name], await prometheus.LabelValuesAsync(labelValues.Label, labelValues.Selector));
            }
        }

        // The autoscaler's query (production overlay) counts the sweep's pending trials.
        var autoscaler = Kustomize.RenderOverlay("production").All<ScaledObject>().Single().Spec.Triggers.Single().Metadata["query"];
        Assert.Single(await prometheus.QueryAsync(autoscaler, lastMoment));

        // Every rule was evaluated without error and its expression runs; the write error fires its alert, the
        // killed worker's alert waits out its 'for' (2 minutes), the silo's stays silent.
        var rulesFile = Path.Combine(RepositoryLayout.Prometheus, "rules.yaml");
        var rules = await prometheus.RulesAsync();
        Assert.Equal(File.ReadLines(rulesFile).Count(l => l.TrimStart().StartsWith("- alert:", StringComparison.Ordinal)), rules.Count);
        foreach (var rule in rules)
        {
            Assert.True((string?)rule["health"] == "ok", $"{rule["name"]}: {rule["health"]} {rule["lastError"]}");
            await prometheus.QueryAsync((string)rule["query"]!);
        }

        Assert.Equal("firing", (string?)Rule(rules, "GradDescentStoreWriteErrors")["state"]);
        Assert.Contains((string?)Rule(rules, "GradDescentWorkerDown")["state"], new[] { "pending", "firing" });
        Assert.Equal("inactive", (string?)Rule(rules, "GradDescentSiloDown")["state"]);

        // Every metric name the dashboard, the rules and the autoscaler may select was in these scrapes.
        var names = await prometheus.LabelValuesAsync("__name__", """{job=~"graddescent-.*"}""");
        Assert.All(MetricCatalog.All, family => Assert.Contains(family.SeriesNames.First(), names));
    }

    /// <summary>
    /// Freezes <paramref name="victim"/> (SIGSTOP) while it holds a lease, the only worker taking leases. A worker
    /// whose slot is busy may be handing a finished batch back rather than holding its lease: then, once the silo
    /// has settled, no trial is out on a lease, and the victim resumes (SIGCONT) to be frozen during its next batch.
    /// </summary>
    /// <returns>How many times the victim was frozen.</returns>
    private static async Task<int> FreezeHoldingALeaseAsync(CliProcess victim, int victimPort, int siloPort, CliProcess silo)
    {
        for (var attempt = 1; ; attempt++)
        {
            await Scrape.WaitForSumAsync(victimPort, "graddescent_worker_slots_busy", v => v >= 1, Generous, "1 (computing a batch)", victim);
            victim.Signal("STOP");
            var previous = double.NaN;
            var outOnLeases = await Polling.UntilAsync(
                async () =>
                {
                    // Settled: two scrapes half a second apart agree (a completion the silo already received is stored by then).
                    var running = (await Scrape.SamplesAsync(siloPort)).Sum("graddescent_trials_running");
                    var settled = running == previous;
                    previous = running;
                    return (settled, running, $"{running}");
                },
                Generous,
                TimeSpan.FromMilliseconds(500),
                last => $"graddescent_trials_running on the silo did not settle; last: {last}",
                silo);
            if (outOnLeases > 0)
            {
                return attempt;
            }

            victim.Signal("CONT");
        }
    }

    private static string[] Worker(string id, int metricsPort) =>
        ["worker", "--worker-id", id, "--pool", "cpu", "--slots", "1", "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture)];

    private static JsonObject Rule(IReadOnlyList<JsonObject> rules, string name) => rules.Single(r => (string?)r["name"] == name);

    /// <summary>The time of the last sample of <paramref name="selector"/> between the two times.</summary>
    private static async Task<DateTimeOffset> LastMomentAsync(PrometheusServer prometheus, string selector, DateTimeOffset from, DateTimeOffset to)
    {
        var series = await prometheus.QueryRangeAsync($"max({selector})", from, to, TimeSpan.FromSeconds(1));
        var last = Assert.Single(series)!["values"]!.AsArray().Select(v => (double)v![0]!).Max();
        return DateTimeOffset.FromUnixTimeMilliseconds((long)(last * 1000));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
