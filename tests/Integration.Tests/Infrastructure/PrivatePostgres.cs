using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of one test's own (never the shared one <c>tests/run-tests.sh</c> started, which other test
/// classes use at the same time), so the test can stop and restart it: <c>initdb</c> into a temporary directory, the
/// server on a free loopback port. As <c>tests/run-tests.sh</c> and <c>build/find-postgres.sh</c> do, the programs are
/// found on PATH or in Debian's <c>/usr/lib/postgresql/*/bin</c> (newest first), and as root the server runs as the
/// <c>postgres</c> user (initdb refuses root). Disposing stops the server (immediate shutdown) and deletes the directory.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private readonly string root;
    private readonly string binDirectory;
    private readonly string user;
    private readonly bool asPostgresUser;

    private PrivatePostgres(string root, string binDirectory, string user, bool asPostgresUser, int port)
    {
        this.root = root;
        this.binDirectory = binDirectory;
        this.user = user;
        this.asPostgresUser = asPostgresUser;
        Port = port;
    }

    public int Port { get; private set; }

    /// <summary>The server's own <c>postgres</c> database (the product installs its tables there).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = user,
        Database = "postgres",
        IncludeErrorDetail = true,
    }.ConnectionString;

    private string DataDirectory => Path.Combine(root, "data");

    /// <summary>Runs <c>initdb</c> and starts the server; fails naming what failed, with the program's output.</summary>
    public static async Task<PrivatePostgres> CreateAsync()
    {
        var binDirectory = FindBinDirectory();
        var asPostgresUser = Environment.UserName == "root";
        // /tmp rather than $TMPDIR as root: the postgres user must be able to reach the directory.
        var root = asPostgresUser
            ? Directory.CreateDirectory(Path.Combine("/tmp", $"graddescent-pg-{Guid.NewGuid():N}")).FullName
            : Directory.CreateTempSubdirectory("graddescent-pg-").FullName;
        if (asPostgresUser)
        {
            await RunAsync("chown", ["postgres:", root], "chown the server's directory to the postgres user");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var user = asPostgresUser ? "postgres" : Environment.UserName;
        var server = new PrivatePostgres(root, binDirectory, user, asPostgresUser, port: 0);
        try
        {
            await server.PgAsync("initdb", ["-D", server.DataDirectory, "-U", user, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
            await server.StartOnFreePortAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server at once, as a crash would (<c>pg_ctl stop -m immediate</c>: no checkpoint, clients cut).</summary>
    public Task StopAsync() => PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"]);

    /// <summary>Starts the stopped server again on the same port (crash recovery replays its log).</summary>
    public Task StartAsync() => PgAsync("pg_ctl", StartArguments(Port));

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await StopAsync();
            }
            catch (InvalidOperationException)
            {
                // Already stopped or never started: the directory goes below either way.
            }
        }

        Directory.Delete(root, recursive: true);
    }

    private async Task StartOnFreePortAsync()
    {
        // A free port can be taken between asking and binding: a few tries, as tests/run-tests.sh does.
        InvalidOperationException? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePorts.Next();
            try
            {
                await PgAsync("pg_ctl", StartArguments(port));
                Port = port;
                return;
            }
            catch (InvalidOperationException e)
            {
                last = e;
            }
        }

        throw new InvalidOperationException($"could not start a private PostgreSQL server in {root}", last);
    }

    private string[] StartArguments(int port) =>
    [
        "-D", DataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start",
        "-o", $"-h 127.0.0.1 -p {port.ToString(CultureInfo.InvariantCulture)} -k {root} -c max_connections=200 -c fsync=off -c full_page_writes=off",
    ];

    private Task PgAsync(string program, IEnumerable<string> arguments)
    {
        var path = Path.Combine(binDirectory, program);
        return asPostgresUser
            ? RunAsync(File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser", ["-u", "postgres", "--", path, .. arguments], program)
            : RunAsync(path, arguments, program);
    }

    private static async Task RunAsync(string program, IEnumerable<string> arguments, string what)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program} ({what})");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{what} did not finish within {CommandTimeout}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed with exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    /// <summary>The directory of initdb and pg_ctl: PATH first, then Debian's versioned directories, newest first.</summary>
    private static string FindBinDirectory()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        if (onPath is not null)
        {
            return onPath;
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException(
            "PostgreSQL server programs (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin: install the Debian package 'postgresql' (tests/run-tests.sh does as root)");
    }
}
