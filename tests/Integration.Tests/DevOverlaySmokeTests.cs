using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Security.Cryptography.X509Certificates;
using GradDescent.Deploy.Testing;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using GradDescent.Storage.Tests.Infrastructure;
using k8s.Models;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace GradDescent.Integration.Tests;

/// <summary>
/// The dev overlay's configuration, run: every pod of a GradDescent workload in <c>deploy/k8s/overlays/dev</c>
/// (schema Job, control silo, both CPU workers, the dashboard as a cluster client) and the example
/// sweep Job of <c>deploy/k8s/examples</c> starts as a local process of the published CLI with the command line,
/// environment (downward API filled in per pod), volumes and working directory its rendered manifest gives it,
/// each in its own network namespace with its own pod IP, so every pod listens on its manifest's ports. The
/// overlay's PostgreSQL StatefulSet is replaced by the test's PostgreSQL behind the same Service name and port;
/// Prometheus and Grafana (other images) do not run. The cluster's TLS Secret (graddescent-tls, which the operator
/// creates) is made as docs/deploy.md says, from the files of the published <c>graddescent certs create</c>; the silo
/// and the workers must announce TLS and the silo's gateway must refuse a client without a certificate. The sweep must
/// complete with every trial stored once.
/// </summary>
public sealed class DevOverlaySmokeTests(PostgresDatabaseFixture postgres, PublishedCli cli, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<PublishedCli>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    /// <summary>The environment the image's base (mcr.microsoft.com/dotnet/aspnet) sets in every container.</summary>
    private static readonly IReadOnlyDictionary<string, string> ImageEnvironment = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["APP_UID"] = "1654",
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
    };

    private const string DatabaseSecret = "graddescent-database";

    /// <summary>The Secret the silo, worker, dashboard and submit pods mount at /etc/graddescent/tls (docs/deploy.md).</summary>
    private const string TlsSecret = "graddescent-tls";

    /// <summary>The keys of <see cref="TlsSecret"/>: what `kubectl create secret generic graddescent-tls --from-file=...` takes from certs create's folder.</summary>
    private static readonly string[] TlsFiles = ["tls.crt", "tls.key", "ca.crt"];

    [Fact]
    public async Task DevOverlayAndSweepExample_RunAsLocalPods_SweepCompletesWithEveryTrialStoredOnce()
    {
        using var network = PodNetwork.Create();
        using var folder = new TempFolder();
        var database = new NpgsqlConnectionStringBuilder(await postgres.GetDatabaseConnectionStringAsync());

        // The overlay's connection string names PostgreSQL's Service; keep that host and port, point the Secret
        // at the test's database, and let the Service's name resolve (each pod's /etc/hosts) to a forwarder
        // into the test's PostgreSQL.
        var dev = Kustomize.RenderOverlay("dev");
        var rendered = new NpgsqlConnectionStringBuilder(SecretValues(dev.Get<V1Secret>(DatabaseSecret))["connection-string"]);
        var service = dev.Get<V1Service>(rendered.Host!.Split('.')[0]);
        Assert.Contains(rendered.Port, service.Spec.Ports.Select(p => p.Port));
        var secret = TestSecret(DatabaseSecret, dev.Get<V1Secret>(DatabaseSecret).Metadata.NamespaceProperty, new Dictionary<string, string>
        {
            ["connection-string"] = new NpgsqlConnectionStringBuilder(rendered.ConnectionString)
            {
                Database = database.Database,
                Username = database.Username,
                Password = database.Password ?? rendered.Password,
            }.ConnectionString,
        });
        // The operator's step before `kubectl apply -k` (docs/deploy.md): certs create, then the Secret from its files.
        var certificates = folder.File("cluster-tls");
        await CreateCertificatesAsync(certificates);
        var tls = TestSecret(TlsSecret, secret.Metadata.NamespaceProperty, TlsFiles.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(certificates, f))));
        var overlay = dev.With(secret, tls);
        var examples = Kustomize.Render(RepositoryLayout.Examples).With([.. overlay.Objects.Where(o => o is V1ConfigMap or V1Secret)]);
        await using var forwarder = TcpForwarder.Start(new IPEndPoint(network.Gateway, rendered.Port), new DnsEndPoint(database.Host!, database.Port));
        var serviceNames = ServiceNames(service).ToDictionary(n => n, _ => network.Gateway);
        var image = Dockerfile.Load(Path.Combine(RepositoryLayout.Docker, "Dockerfile"));

        var pods = new List<(LocalPod Pod, CliProcess Process)>();
        try
        {
            // What `kubectl apply -k deploy/k8s/overlays/dev` starts at once, PostgreSQL, Prometheus and Grafana aside.
            var workloads = overlay.Workloads.Where(w => w.AllContainers.All(ImageReference.IsGradDescent)).ToList();
            var running = workloads.Where(w => PublishedCli.HasCommand(w.Pod.Containers.Single().Args[0])).ToList();
            output.WriteLine($"published in {cli.PublishTime.TotalSeconds:0} s; workloads: {string.Join(", ", running.Select(w => w.Id))}; "
                + $"not run (no such command in this CLI yet): {string.Join(", ", workloads.Except(running).Select(w => w.Id))}");
            Assert.Equal(
                ["Deployment/graddescent-dashboard", "Deployment/graddescent-silo", "Deployment/graddescent-worker-cpu", "Job/graddescent-schema"],
                running.Select(w => w.Id).Order());
            foreach (var workload in running)
            {
                for (var replica = 0; replica < (workload.Replicas ?? 1); replica++)
                {
                    pods.Add(Start(overlay, workload, replica, network, serviceNames, image, folder));
                }
            }

            var schema = pods.Single(p => p.Pod.Workload.Kind == "Job");
            Assert.True(await schema.Process.WaitForExitAsync(Generous) == 0, $"the schema Job failed:\n{schema.Process.Stderr}");
            foreach (var (pod, process) in pods.Where(p => p.Pod.Workload.Kind == "Deployment"))
            {
                var (path, port) = pod.Readiness ?? throw new InvalidOperationException($"{pod.Workload.Id} has no HTTP readiness probe");
                await Scrape.WaitUntilReadyAsync(new Uri($"http://{pod.Facts.Ip}:{port}{path}"), Generous, process);
            }

            // Cluster TLS is on: the silo, every worker and the dashboard announce it (event 5201), and the silo's gateway,
            // at its pod IP, presents the Secret's certificate and ends the connection of a client that has none.
            foreach (var (pod, process) in pods.Where(p => p.Pod.Workload.Component is "silo" or "worker" or "dashboard"))
            {
                await process.WaitForStderrAsync(l => l.Contains("\"EventId\":5201", StringComparison.Ordinal), TimeSpan.FromSeconds(30), $"{pod.Facts.Name} announcing cluster TLS (event 5201)");
            }

            var gateway = pods.Single(p => p.Pod.Workload.Component == "silo").Pod;
            var probe = await TlsProbe.ConnectWithoutCertificateAsync(new IPEndPoint(IPAddress.Parse(gateway.Facts.Ip), gateway.Port("gateway")), TimeSpan.FromSeconds(30));
            using (var issued = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(certificates, "tls.crt"))))
            {
                Assert.True(probe.ServerCertificate is not null, $"the gateway presented no certificate ({probe.Refusal})");
                Assert.Equal(issued.RawData, probe.ServerCertificate);
            }

            output.WriteLine($"gateway {gateway.Facts.Ip}:{gateway.Port("gateway")} without a client certificate: {probe.Refusal}");

            // `kubectl apply -k deploy/k8s/examples`: the Job submits the spec from its ConfigMap and waits for the end.
            var submit = Start(examples, examples.Workload("graddescent-sweep-seed-optimizers"), 0, network, serviceNames, image, folder);
            pods.Add(submit);
            var exitCode = await submit.Process.WaitForExitAsync(Generous);
            Assert.True(exitCode == 0, $"the sweep Job failed ({exitCode}):\n{submit.Process.Stdout}\n{submit.Process.Stderr}\n{Logs(pods)}");

            // Every trial of the shipped spec (11 optimizers x 9 learning rates x 3 seeds) stored once, by the
            // worker pods (worker id = pod name).
            await using var store = ResultStoreFactory.Create(database.ConnectionString);
            var sweep = Assert.Single(await store.ListSweepsAsync());
            var results = await Results.ReadAsync(database.ConnectionString, sweep.Id);
            var total = sweep.TotalTrials;
            Assert.Equal(("seed-optimizers", 99L), (sweep.Name, total));
            Assert.Equal(Enumerable.Range(0, (int)total).Select(i => (long)i), results.Select(r => r.Index).Order());
            var workerPods = pods.Where(p => p.Pod.Workload.Component == "worker").Select(p => p.Pod.Facts.Name).ToHashSet();
            Assert.All(results, r => Assert.Contains(r.WorkerId, workerPods));

            // The silo joined with its pod IP and manifest ports, and counts what was stored (scraped at the pod IP).
            var silo = pods.Single(p => p.Pod.Workload.Component == "silo").Pod;
            Assert.Equal((silo.Facts.Ip, silo.Port("silo"), silo.Port("gateway")), await ActiveSiloAsync(database.ConnectionString));
            var samples = await Scrape.SamplesAsync(new Uri($"http://{silo.Facts.Ip}:{silo.Port("metrics")}/metrics"));
            Assert.Equal(total, samples.Sum("graddescent_trials_completed_total"));
            var siloProcess = pods.Single(p => p.Pod.Workload.Component == "silo").Process;
            await Polling.UntilAsync(
                async () =>
                {
                    var completed = (await Scrape.SamplesAsync(new Uri($"http://{silo.Facts.Ip}:{silo.Port("metrics")}/metrics"))).Value("graddescent_sweeps", ("status", "completed"));
                    return (completed == 1, completed, $"{completed}");
                },
                TimeSpan.FromSeconds(60),
                TimeSpan.FromSeconds(1),
                last => $"the silo's graddescent_sweeps{{status=\"completed\"}} did not read 1 from the store; last: {last}",
                siloProcess);

            // The dashboard pod, at its pod IP's port: the sweep from the store, and the workers from the dispatcher grain,
            // which it reaches over the cluster's mutual TLS as a cluster client.
            var dashboard = pods.Single(p => p.Pod.Workload.Component == "dashboard").Pod;
            var dashboardUri = new Uri($"http://{dashboard.Facts.Ip}:{dashboard.Port("http")}/");
            using var http = new HttpClient { BaseAddress = dashboardUri, Timeout = TimeSpan.FromSeconds(30) };
            var shown = JsonNode.Parse(await http.GetStringAsync("api/sweeps/seed-optimizers"))!;
            Assert.Equal(("completed", total), ((string?)shown["status"], (long)shown["trials"]!));
            var workers = JsonNode.Parse(await http.GetStringAsync("api/workers"))!.AsArray().Select(w => (string)w!["workerId"]!).ToHashSet();
            Assert.Superset(workerPods, workers);
        }
        finally
        {
            foreach (var (_, process) in pods)
            {
                await process.DisposeAsync();
            }
        }
    }

    /// <summary>One pod of <paramref name="workload"/>: its own namespace and IP, volumes under the test folder, the published CLI.</summary>
    private (LocalPod Pod, CliProcess Process) Start(
        ManifestSet manifests,
        Workload workload,
        int replica,
        PodNetwork network,
        IReadOnlyDictionary<string, IPAddress> hosts,
        Dockerfile image,
        TempFolder folder)
    {
        var name = $"{workload.Name}-{replica}";
        var address = network.AddPod(name, hosts);
        var facts = new PodFacts(name, workload.Metadata.NamespaceProperty, address.Ip.ToString(), "node-0", workload.Pod.ServiceAccountName ?? "default");
        var pod = LocalPod.Prepare(manifests, workload, facts, image, folder.File(name));
        Assert.Equal("graddescent", pod.CommandLine[0]);

        // A clean environment, as a container has: the image's, the manifest's, and where the local stand-ins are.
        // No KUBERNETES_SERVICE_HOST: there is no API server here, and silos use Kubernetes hosting when it is set.
        var environment = new Dictionary<string, string>(ImageEnvironment)
        {
            ["HOME"] = pod.MapPath("/home/app", createOutsideMounts: true),
            ["TMPDIR"] = pod.MapPath("/tmp", createOutsideMounts: true),
            ["DOTNET_ROOT"] = DotnetRoot,
        };
        foreach (var (key, value) in pod.Environment)
        {
            environment[key] = value;
        }

        var (program, arguments) = PodNetwork.Exec(address, cli.Executable, pod.CommandLine.Skip(1));
        output.WriteLine($"{name} ({address.Ip}, {address.Namespace}): {string.Join(' ', pod.CommandLine)}  (cwd {pod.WorkingDirectory})");
        return (pod, CliProcess.StartProgram(program, arguments, environment, pod.WorkingDirectory, inheritEnvironment: false));
    }

    /// <summary>Runs the published <c>graddescent certs create DIR</c>, as an operator does before creating the Secret.</summary>
    private async Task CreateCertificatesAsync(string directory)
    {
        await using var certs = CliProcess.StartProgram(cli.Executable, ["certs", "create", directory]);
        var exitCode = await certs.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, $"graddescent certs create failed ({exitCode}):\n{certs.Stdout}\n{certs.Stderr}");
        Assert.Contains($"kubectl create secret generic {TlsSecret} --type=kubernetes.io/tls", certs.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Where the .NET runtime this test runs on is installed (the image has it at /usr/share/dotnet).</summary>
    private static string DotnetRoot => Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>The names a pod may use for a Service: short, with namespace, .svc and the cluster domain.</summary>
    private static IEnumerable<string> ServiceNames(V1Service service)
    {
        var (name, ns) = (service.Metadata.Name, service.Metadata.NamespaceProperty);
        return [name, $"{name}.{ns}", $"{name}.{ns}.svc", $"{name}.{ns}.svc.cluster.local"];
    }

    private static Dictionary<string, string> SecretValues(V1Secret secret)
    {
        var data = (secret.Data ?? new Dictionary<string, byte[]>()).ToDictionary(d => d.Key, d => System.Text.Encoding.UTF8.GetString(d.Value));
        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            data[key] = value;
        }

        return data;
    }

    /// <summary>A Secret the test generates in place of a rendered one (the database's) or of one the operator creates (TLS).</summary>
    private static V1Secret TestSecret(string name, string ns, IDictionary<string, string> values) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        StringData = values,
    };

    /// <summary>Address, silo port and gateway port of the one active silo in the Orleans membership table.</summary>
    private static async Task<(string Address, int SiloPort, int GatewayPort)> ActiveSiloAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT address, port, proxyport FROM orleansmembershiptable WHERE status = 3", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no active silo in the membership table");
        var silo = (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2));
        Assert.False(await reader.ReadAsync(), "more than one active silo in the membership table");
        return silo;
    }

    private static string Logs(IEnumerable<(LocalPod Pod, CliProcess Process)> pods) =>
        string.Join('\n', pods.Select(p => $"--- {p.Pod.Facts.Name}:\n{Tail(p.Process.Stderr)}"));

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
