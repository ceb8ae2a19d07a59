using System.CommandLine;
using GradDescent.Hosting.Tls;
using GradDescent.Silo.Cli;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent certs create DIR [--hosts NAME,IP,...] [--days N] [--force]</c>: a cluster CA and one certificate for
/// every silo, worker and client, as PEM files (keys 0600). Nothing is replaced without <c>--force</c>, and nothing is
/// half-written: the four files appear together or not at all.
/// </summary>
public sealed class CertsCommand(TimeProvider time, CertsCommand.Input input) : ICommandHandler
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public sealed record Input(string Folder, IReadOnlyList<string> Hosts, int Days, bool Force);

    public static Command Create()
    {
        var folder = new Argument<string>("dir") { Description = "Folder for ca.crt, ca.key, tls.crt and tls.key (created if missing)." };
        var hosts = new Option<string>("--hosts")
        {
            Description = "Comma-separated DNS names and IP addresses the certificate names besides localhost, 127.0.0.1 and ::1 "
                + "(for other tools: cluster peers check the CA, not names).",
            HelpName = "NAME,IP,...",
        };
        var days = CliOptions.Bounded("--days", "Validity of the CA and the certificate in days (default 365).", 1, 3650);
        var force = new Option<bool>("--force") { Description = "Replace files already in the folder." };
        var create = new Command("create", "Make a cluster CA and a certificate for silos, workers and clients (PEM; keys readable by you only).")
        {
            folder, hosts, days, force,
        };
        create.SetAction((parse, ct) =>
        {
            var input = new Input(
                parse.GetRequiredValue(folder),
                [.. (parse.GetValue(hosts) ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
                parse.GetValue(days) ?? 365,
                parse.GetValue(force));
            return CliHost.RunAsync<CertsCommand>(
                parse,
                builder =>
                {
                    builder.Services.TryAddSingleton(TimeProvider.System);
                    builder.Services.AddSingleton(input);
                },
                ct);
        });
        return new Command("certs", "Certificates for cluster TLS (docs/security.md).") { create };
    }

    public Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(input.Folder);
        DevCertificates made;
        try
        {
            made = DevCertificateAuthority.Create(input.Hosts, input.Days, time.GetUtcNow());
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--hosts: {e.Message.Split(" (Parameter", 2)[0]}");
        }

        (string Name, string Text, UnixFileMode Mode)[] files =
        [
            ("ca.crt", made.CaCertificatePem, Public),
            ("ca.key", made.CaKeyPem, Private),
            ("tls.crt", made.CertificatePem, Public),
            ("tls.key", made.KeyPem, Private),
        ];
        Write(folder, files, input.Force);

        var names = string.Join(", ", DevCertificateAuthority.DefaultHosts.Concat(input.Hosts).Distinct(StringComparer.OrdinalIgnoreCase));
        var notAfter = time.GetUtcNow().AddDays(input.Days);
        Console.Out.WriteLine($"wrote {folder}: ca.crt, ca.key (the CA's key: keep it private; it only issues more certificates), tls.crt, tls.key");
        Console.Out.WriteLine($"valid until {notAfter:yyyy-MM-dd}; names {names}");
        Console.Out.WriteLine("every silo, worker and client of the cluster uses them (docs/security.md):");
        Console.Out.WriteLine($"  export GradDescent__Cluster__Tls__CertificatePath={Quote(Path.Combine(folder, "tls.crt"))}");
        Console.Out.WriteLine($"  export GradDescent__Cluster__Tls__KeyPath={Quote(Path.Combine(folder, "tls.key"))}");
        Console.Out.WriteLine($"  export GradDescent__Cluster__Tls__CaPath={Quote(Path.Combine(folder, "ca.crt"))}");
        Console.Out.WriteLine("on Kubernetes, as the Secret the manifests mount at /etc/graddescent/tls:");
        Console.Out.WriteLine(
            $"  kubectl create secret generic graddescent-tls --type=kubernetes.io/tls --from-file={Quote(Path.Combine(folder, "tls.crt"))} "
            + $"--from-file={Quote(Path.Combine(folder, "tls.key"))} --from-file={Quote(Path.Combine(folder, "ca.crt"))}");
        return Task.FromResult(ExitCodes.Success);
    }

    /// <summary>Writes every file beside its target first, then moves them all into place.</summary>
    private static void Write(string folder, IReadOnlyList<(string Name, string Text, UnixFileMode Mode)> files, bool force)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("certs create sets Unix file modes (keys 0600); run it on Linux or macOS");
        }

        if (File.Exists(folder))
        {
            throw new UsageException($"{folder} is a file, not a folder");
        }

        var existing = files.Where(f => File.Exists(Path.Combine(folder, f.Name))).Select(f => f.Name).ToList();
        if (existing.Count > 0 && !force)
        {
            throw new UsageException($"{folder} already holds {string.Join(", ", existing)}; --force replaces them");
        }

        var staged = new List<(string Temporary, string Target)>();
        try
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var (name, text, mode) in files)
            {
                var target = Path.Combine(folder, name);
                var temporary = Path.Combine(folder, $".{name}.{Environment.ProcessId}.tmp");
                staged.Add((temporary, target));
                using var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
                using var writer = new StreamWriter(stream);
                // A final newline, so that `cat old/ca.crt new/ca.crt > ca.crt` gives a valid two-CA file.
                writer.Write(text.EndsWith('\n') ? text : $"{text}\n");
            }

            foreach (var (temporary, target) in staged)
            {
                File.Move(temporary, target, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var (temporary, _) in staged)
            {
                File.Delete(temporary);
            }

            throw new UsageException($"{folder}: cannot write the certificates ({e.Message})");
        }
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"'{path}'" : path;
}
