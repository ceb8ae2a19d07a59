using System.Diagnostics;
using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// Issue #11, finding 3: a password in <c>--db</c> never reaches the terminal. The follow-up hints printed at the end of a
/// sweep (<c>results:</c>) and on Ctrl-C (<c>interrupted: ... resume</c>) name the database with the password masked.
/// </summary>
public sealed class ConnectionStringOutputTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>
{
    private const string Secret = "s3cret-do-not-print";
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Run_DbWithPassword_ResultsHintMasksThePassword()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("small.yaml", Specs.SmallLinearRegression);
        var db = await WithPasswordAsync();

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["run", spec, "--db", db, "--no-report"], timeout: Generous);

        Assert.True(exitCode == 0, stderr);
        var hint = Assert.Single(stdout.Split('\n'), l => l.StartsWith("results: graddescent results ", StringComparison.Ordinal));
        Assert.Contains("Password=***", hint, StringComparison.Ordinal);
        Assert.Contains("Database=", hint, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DbWithPasswordInterrupted_ResumeHintMasksThePassword()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("slow.yaml", Specs.SlowVectorSpread("it-interrupt", seeds: 8));
        var db = await WithPasswordAsync();

        await using var run = CliProcess.Start(["run", spec, "--db", db, "--json", "--no-report"]);
        await run.WaitForLineAsync(l => l.Contains("\"event\":\"progress\"", StringComparison.Ordinal) && (long)JsonNode.Parse(l)!["done"]! > 0, Generous, "after the first stored trials");
        using (var signal = Process.Start("kill", ["-INT", $"{run.Id}"]))
        {
            await signal.WaitForExitAsync();
        }

        Assert.Equal(130, await run.WaitForExitAsync(Generous));
        var hint = Assert.Single(run.Stderr.Split('\n'), l => l.StartsWith("interrupted: ", StringComparison.Ordinal));
        Assert.Contains("graddescent resume ", hint, StringComparison.Ordinal);
        Assert.Contains("Password=***", hint, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The test database with a password (the test server trusts local connections, so any password works).</summary>
    private async Task<string> WithPasswordAsync() =>
        new NpgsqlConnectionStringBuilder(await postgres.CreateSchemaAsync()) { Password = Secret }.ConnectionString;
}
