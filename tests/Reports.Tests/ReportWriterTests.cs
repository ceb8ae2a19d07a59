using System.Globalization;
using System.Text.RegularExpressions;
using GradDescent.Reports.Tests.Infrastructure;
using GradDescent.Silo.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GradDescent.Reports.Tests;

public sealed partial class ReportWriterTests : IAsyncLifetime
{
    private readonly TestDatabases databases = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await databases.DisposeAsync();

    [Fact]
    public async Task WriteAsync_KnownSweep_RankingCsvMatchesNumbersComputedInTest()
    {
        var store = await databases.SqliteAsync();
        await KnownSweep.StoreAsync(store);
        var sweeps = await SweepReportWriter.ResolveAsync(store, [KnownSweep.Id], CancellationToken.None);

        var folder = await SweepReportWriter.WriteAsync(store, sweeps, Path.Combine(databases.Folder, "single"), CancellationToken.None);

        var ranking = ReportCsv.Read(Path.Combine(folder, "ranking.csv"));
        var groups = Expected.Groups();
        var adam = groups.Single(g => g.Optimizer == "adam" && g.Rate == 0.1);
        var gd = groups.Single(g => g.Optimizer == "gd" && g.Rate == 0.01);
        Assert.Equal(["adam", "gd"], ranking.Select(r => r["optimizer"]));
        Assert.Equal(["0.1", "0.01"], ranking.Select(r => r["best_learning_rate"]));
        Assert.Equal(adam.Mean, Number(ranking[0]["mean"]), 12);
        Assert.Equal(adam.Ci95, Number(ranking[0]["ci95_half_width"]), 9);
        Assert.Equal(adam.Mean - adam.Ci95, Number(ranking[0]["ci95_low"]), 9);
        Assert.Equal(gd.Mean, Number(ranking[1]["mean"]), 12);
        Assert.Equal(gd.Median, Number(ranking[1]["median"]), 12);
        Assert.Equal("0.5", ranking[1]["converged_share"]);
        Assert.Equal(12, ReportCsv.Read(Path.Combine(folder, "trials.csv")).Count);
        Assert.Equal(4, ReportCsv.Read(Path.Combine(folder, "learning_rate_curve.csv")).Count);

        // adam 12 ± 4.97 and gd 17 ± 6.57 overlap: the verdict must not claim a real difference.
        var summary = await File.ReadAllTextAsync(Path.Combine(folder, "summary.md"));
        Assert.Contains("Winner: adam at learning rate 0.1", summary, StringComparison.Ordinal);
        Assert.Contains("intervals over seeds overlap: the lead is NOT larger than the noise across seeds", summary, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "regression_adam.gif")));
        AssertImagesAndLinks(folder);
    }

    [Fact]
    public async Task WriteAsync_FamilyOfThreeExperiments_WritesCrossTableImagesAndResolvableLinks()
    {
        var store = await databases.SqliteAsync();
        await KnownSweep.StoreAsync(store);
        await OtherSweeps.StoreAsync(store);

        // "known-family" is a name prefix: it picks up the spread and attack sweeps; the lr sweep is named by id.
        var sweeps = await SweepReportWriter.ResolveAsync(store, [KnownSweep.Id, "known-family"], CancellationToken.None);
        var folder = await SweepReportWriter.WriteAsync(store, sweeps, Path.Combine(databases.Folder, "family"), CancellationToken.None);

        Assert.Equal([KnownSweep.Id, OtherSweeps.AttackId, OtherSweeps.SpreadId], sweeps.Select(s => s.Id));
        var cross = ReportCsv.Read(Path.Combine(folder, "cross_experiment.csv"));
        var adam = cross.Single(r => r["contender"] == "adam");
        // Spread: ranked per shape, never across: adam wins 3 vectors in 2-D (119.5° vs 118°), ascent 4 in 3-D (109° vs 100°),
        // so their mean ranks tie at 1.5 and both rank first overall.
        Assert.Equal(("1", "2", "1"), (adam[KnownSweep.Id], adam[OtherSweeps.AttackId], adam[OtherSweeps.SpreadId]));
        Assert.Equal("1", cross.Single(r => r["contender"] == "sign")[OtherSweeps.AttackId]);
        Assert.Equal("1", cross.Single(r => r["contender"] == "ascent")[OtherSweeps.SpreadId]);
        var byShape = ReportCsv.Read(Path.Combine(folder, OtherSweeps.SpreadId, "ranking_by_group.csv"));
        Assert.Equal(["1", "2", "1", "2"], byShape.Select(r => r["rank"]));
        Assert.Equal(["adam", "ascent", "ascent", "adam"], byShape.Select(r => r["contender"]));
        Assert.Equal(2, ReportCsv.Read(Path.Combine(folder, OtherSweeps.SpreadId, "spread_shapes.csv")).Count);
        Assert.Equal(3, ReportCsv.Read(Path.Combine(folder, OtherSweeps.AttackId, "attack_success.csv")).Count);
        Assert.True(File.Exists(Path.Combine(folder, OtherSweeps.SpreadId, "spread_configurations.png")));
        Assert.True(File.Exists(Path.Combine(folder, OtherSweeps.AttackId, "attack_probabilities.png")));
        Assert.True(File.Exists(Path.Combine(folder, OtherSweeps.AttackId, "attack_sign.png")), "the best attack's stored images are shown");
        AssertImagesAndLinks(folder);
    }

    [Fact]
    public async Task ResolveAsync_UnknownName_ThrowsNamingIt()
    {
        var store = await databases.SqliteAsync();
        await KnownSweep.StoreAsync(store);

        var error = await Assert.ThrowsAsync<SweepNotFoundException>(() => SweepReportWriter.ResolveAsync(store, ["no-such-sweep"], CancellationToken.None));

        Assert.Contains("'no-such-sweep'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportCommand_MissingSweep_ExitsWithBadInput()
    {
        var db = Path.Combine(databases.Folder, "cli.db");

        var code = await CliApplication.RunAsync(["report", "no-such-sweep", "--db", db, "--out", Path.Combine(databases.Folder, "cli-report")]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.False(Directory.Exists(Path.Combine(databases.Folder, "cli-report")));
    }

    [Fact]
    public async Task ReportFolder_BuildFails_LeavesNoFolderBehind()
    {
        var target = Path.Combine(databases.Folder, "atomic", "report");

        await Assert.ThrowsAsync<InvalidOperationException>(() => ReportFolder.WriteAsync(target, async temporary =>
        {
            await File.WriteAllTextAsync(Path.Combine(temporary, "index.html"), "half");
            throw new InvalidOperationException("chart failed");
        }));

        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(databases.Folder, "atomic")));
    }

    /// <summary>Every PNG/GIF decodes and is not blank; every href/src of index.html names a file in the folder.</summary>
    internal static void AssertImagesAndLinks(string folder)
    {
        var images = Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".gif", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(images);
        foreach (var file in images)
        {
            Assert.True(new FileInfo(file).Length > 2000, $"{file} is only {new FileInfo(file).Length} bytes");
            using var image = Image.Load<Rgba32>(file);
            Assert.True(image.Width >= 300 && image.Height >= 200, $"{file} is {image.Width}x{image.Height}");
            var colours = new HashSet<Rgba32>();
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y += 3)
                {
                    foreach (var pixel in rows.GetRowSpan(y))
                    {
                        colours.Add(pixel);
                    }
                }
            });
            Assert.True(colours.Count >= 8, $"{file} has only {colours.Count} distinct colours");
            if (file.EndsWith(".gif", StringComparison.Ordinal))
            {
                Assert.True(image.Frames.Count > 1, $"{file} has {image.Frames.Count} frame(s)");
            }
        }

        var html = File.ReadAllText(Path.Combine(folder, "index.html"));
        var links = LinkPattern().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(folder, link)), $"index.html links to missing '{link}'"));
        Assert.All(images, image => Assert.Contains(Path.GetRelativePath(folder, image), links));
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex("(?:href|src)=\"([^\"]+)\"")]
    private static partial Regex LinkPattern();
}
