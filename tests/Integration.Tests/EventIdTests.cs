using System.Text.RegularExpressions;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>Log event ids are stable and name one message each: no two [LoggerMessage]s in src/ share an id.</summary>
public sealed partial class EventIdTests
{
    [Fact]
    public void LoggerMessages_AcrossSrc_HaveUniqueEventIds()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var ids = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => EventId().Matches(File.ReadAllText(f)).Select(m => (Id: int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture), File: Path.GetRelativePath(src, f))))
            .ToList();

        Assert.True(ids.Count > 20, $"found only {ids.Count} event ids under {src}");
        var duplicates = ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(i => i.File))}");
        Assert.Empty(duplicates);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GradDescent.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no GradDescent.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"\[LoggerMessage\(EventId = (?<id>\d+)")]
    private static partial Regex EventId();
}
