using System.Security.Cryptography;
using System.Text;
using GradDescent.Storage.Schema;

namespace GradDescent.Storage.Tests;

/// <summary>A released schema step is never edited: its SQL text is pinned by hash (append a new step instead).</summary>
public sealed class SchemaStepTests
{
    /// <summary>SHA-256 (first 16 hex digits) of each released step's SQL, per provider.</summary>
    private static readonly Dictionary<(string Provider, int Version), string> Released = new()
    {
        [("sqlite", 1)] = "3baa8970dfbf4a1c",
        [("sqlite", 2)] = "0c97695ab8580bf2",
        [("sqlite", 3)] = "eb87cb0c6b75e794",
        [("sqlite", 4)] = "68f8399861574979",
        [("postgres", 1)] = "46d48c99a491b1e5",
        [("postgres", 2)] = "81f95a29be65c473",
        [("postgres", 3)] = "84d695676d200577",
        [("postgres", 4)] = "68f27a27298147f0",
    };

    [Fact]
    public void ReleasedSteps_SqlText_Unchanged()
    {
        var actual = new Dictionary<(string, int), string>();
        foreach (var (provider, steps) in new[] { ("sqlite", SqliteMigrations.All), ("postgres", PostgresMigrations.All) })
        {
            foreach (var step in steps.Where(s => Released.ContainsKey((provider, s.Version))))
            {
                actual[(provider, step.Version)] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(step.Sql)))[..16];
            }
        }

        Assert.Equal(
            string.Join('\n', Released.OrderBy(r => r.Key).Select(r => $"{r.Key}: {r.Value}")),
            string.Join('\n', actual.OrderBy(r => r.Key).Select(r => $"{r.Key}: {r.Value}")));
    }

    [Fact]
    public void Migrations_BothProviders_SameVersionsInOrderWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, SqliteMigrations.All.Count), SqliteMigrations.All.Select(s => s.Version));
        Assert.Equal(SqliteMigrations.All.Select(s => (s.Version, s.Description)), PostgresMigrations.All.Select(s => (s.Version, s.Description)));
    }
}
