using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>A pod's own network namespace: its name and the address other pods reach it at.</summary>
public sealed record PodAddress(string Namespace, IPAddress Ip);

/// <summary>
/// A private network of pods on this machine, as a cluster's pod network: a Linux bridge with the gateway
/// address, and per pod a network namespace joined to it by a veth pair, with its own IP address (so every pod
/// listens on its manifest's ports unchanged) and its own <c>/etc/hosts</c> (<c>ip netns exec</c> bind-mounts
/// <c>/etc/netns/NAME/hosts</c>), which maps Service names to addresses the test chooses. Needs root and
/// iproute2; <see cref="Create"/> says so when either is missing. Everything is named after this test process
/// (<c>gdsmoke-PID-…</c>, bridge <c>gdsmPID</c>), removed on dispose, and left-overs of test processes that died
/// are removed at the next start.
/// </summary>
public sealed class PodNetwork : IDisposable
{
    private const string NamespacePrefix = "gdsmoke-";

    /// <summary>Prefix of the bridge (<c>gdsmPID</c>) and the veth pairs' host sides (<c>gdsmPIDvN</c>); Linux allows 15 characters.</summary>
    private const string LinkPrefix = "gdsm";
    private const string Ip = "/usr/sbin/ip";
    private static readonly int Pid = System.Environment.ProcessId;

    private readonly string bridge = BridgeName(Pid);
    private readonly List<PodAddress> pods = [];
    private readonly byte[] subnet;

    private PodNetwork(byte[] subnet)
    {
        this.subnet = subnet;
        Gateway = new IPAddress([subnet[0], subnet[1], subnet[2], 1]);
    }

    /// <summary>The bridge's address on this machine: pods reach processes of the test (a forwarder) here.</summary>
    public IPAddress Gateway { get; }

    /// <summary>Creates the bridge on a /24 that no route of this machine uses; fails with what is missing.</summary>
    public static PodNetwork Create()
    {
        if (!System.Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                "the dev-overlay smoke test gives each pod its own network namespace (ip netns), which needs root: run ./tests/run-tests.sh as root (CI does)");
        }

        if (!File.Exists(Ip))
        {
            throw new InvalidOperationException($"{Ip} is missing: install Debian's iproute2 package (network namespaces for the dev-overlay smoke test)");
        }

        RemoveLeftovers();
        var routes = Run("-4", "route", "show");
        var random = new Random();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            byte[] candidate = [10, (byte)random.Next(100, 250), (byte)random.Next(0, 256), 0];
            if (!routes.Contains($"10.{candidate[1]}.", StringComparison.Ordinal))
            {
                var network = new PodNetwork(candidate);
                try
                {
                    Run("link", "add", network.bridge, "type", "bridge");
                    Run("addr", "add", $"{network.Gateway}/24", "dev", network.bridge);
                    Run("link", "set", network.bridge, "up");
                    return network;
                }
                catch
                {
                    network.Dispose();
                    throw;
                }
            }
        }

        throw new InvalidOperationException($"no free 10.x.y.0/24 for the pod network; routes:\n{routes}");
    }

    /// <summary>
    /// A new pod: network namespace, veth pair into the bridge, the next address, loopback up, default route via
    /// the gateway, and an /etc/hosts naming the pod itself and <paramref name="hosts"/> (host name → address).
    /// </summary>
    public PodAddress AddPod(string podName, IReadOnlyDictionary<string, IPAddress> hosts)
    {
        var index = pods.Count;
        var address = new PodAddress($"{NamespacePrefix}{Pid}-{index}-{podName}", new IPAddress([subnet[0], subnet[1], subnet[2], (byte)(index + 2)]));
        var hostSide = $"{bridge}v{index}";
        pods.Add(address);
        Run("netns", "add", address.Namespace);
        Run("link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", address.Namespace);
        Run("link", "set", hostSide, "master", bridge);
        Run("link", "set", hostSide, "up");
        Run("-n", address.Namespace, "addr", "add", $"{address.Ip}/24", "dev", "eth0");
        Run("-n", address.Namespace, "link", "set", "eth0", "up");
        Run("-n", address.Namespace, "link", "set", "lo", "up");
        Run("-n", address.Namespace, "route", "add", "default", "via", Gateway.ToString());

        var lines = new StringBuilder()
            .AppendLine("127.0.0.1 localhost")
            .AppendLine(CultureInfo.InvariantCulture, $"{address.Ip} {podName}");
        foreach (var (name, ip) in hosts)
        {
            lines.AppendLine(CultureInfo.InvariantCulture, $"{ip} {name}");
        }

        Directory.CreateDirectory(EtcFolder(address.Namespace));
        File.WriteAllText(Path.Combine(EtcFolder(address.Namespace), "hosts"), lines.ToString());
        return address;
    }

    /// <summary>The command line that runs <paramref name="program"/> inside <paramref name="pod"/>'s namespace.</summary>
    public static (string Program, IReadOnlyList<string> Arguments) Exec(PodAddress pod, string program, IEnumerable<string> arguments) =>
        (Ip, ["netns", "exec", pod.Namespace, program, .. arguments]);

    /// <summary>
    /// Removes every namespace, its /etc/netns folder, the veth pairs and the bridge. Stop the pods' processes
    /// first. A namespace outlives <c>ip netns del</c> while the kernel still holds sockets of its killed
    /// processes, and its veth pair with it; deleting the pair's host side removes both ends at once.
    /// </summary>
    public void Dispose()
    {
        var failures = new List<string>();
        foreach (var pod in pods)
        {
            TryRemoveNamespace(pod.Namespace, failures);
        }

        RemoveLinks(Pid, failures);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"could not remove the pod network:\n{string.Join('\n', failures)}");
        }
    }

    /// <summary>The bridge of test process <paramref name="pid"/> and the host sides of its veth pairs.</summary>
    private static void RemoveLinks(int pid, List<string> failures)
    {
        var bridge = BridgeName(pid);
        var links = Run("-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 3)[1].Trim().Split('@')[0])
            .Where(name => name == bridge || (name.StartsWith($"{bridge}v", StringComparison.Ordinal) && name[(bridge.Length + 1)..].All(char.IsAsciiDigit)));
        foreach (var link in links.OrderBy(name => name == bridge))
        {
            // A veth pair also goes away by itself once the kernel has freed its namespace: gone is as good as deleted.
            if (Execute(["link", "del", link]) is { ExitCode: not 0 } failed && Execute(["link", "show", link]).ExitCode == 0)
            {
                failures.Add($"ip link del {link} failed ({failed.ExitCode}): {failed.Output}");
            }
        }
    }

    private static string BridgeName(int pid) => $"{LinkPrefix}{pid}";

    private static string EtcFolder(string networkNamespace) => Path.Combine("/etc/netns", networkNamespace);

    /// <summary>Namespaces, veth pairs and bridges of earlier test processes that no longer run (killed before they cleaned up).</summary>
    private static void RemoveLeftovers()
    {
        var failures = new List<string>();
        var dead = new HashSet<int>();
        foreach (var line in Run("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (name.StartsWith(NamespacePrefix, StringComparison.Ordinal)
                && int.TryParse(name[NamespacePrefix.Length..].Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Pid
                && !Directory.Exists($"/proc/{pid}"))
            {
                TryRemoveNamespace(name, failures);
                dead.Add(pid);
            }
        }

        foreach (var line in Run("-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(':', 3)[1].Trim().Split('@')[0];
            var digits = name.StartsWith(LinkPrefix, StringComparison.Ordinal) ? new string([.. name[LinkPrefix.Length..].TakeWhile(char.IsAsciiDigit)]) : string.Empty;
            if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != Pid && !Directory.Exists($"/proc/{pid}"))
            {
                dead.Add(pid);
            }
        }

        foreach (var pid in dead)
        {
            RemoveLinks(pid, failures);
        }

        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"could not remove the left-overs of an earlier smoke test:\n{string.Join('\n', failures)}");
        }
    }

    private static void TryRemoveNamespace(string name, List<string> failures)
    {
        if (Run("netns", "list").Split('\n').Any(l => l.Split(' ')[0] == name))
        {
            TryRun(failures, "netns", "del", name);
        }

        if (Directory.Exists(EtcFolder(name)))
        {
            Directory.Delete(EtcFolder(name), recursive: true);
        }
    }

    private static void TryRun(List<string> failures, params string[] arguments)
    {
        try
        {
            Run(arguments);
        }
        catch (InvalidOperationException e)
        {
            failures.Add(e.Message);
        }
    }

    private static string Run(params string[] arguments)
    {
        var (exitCode, output) = Execute(arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({exitCode}): {output}");
    }

    private static (int ExitCode, string Output) Execute(string[] arguments)
    {
        var info = new ProcessStartInfo(Ip, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Ip}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
