using System.Runtime.CompilerServices;
using GradDescent.Abstractions.Files;

namespace GradDescent.Sweeps.Tests.Fuzzing;

/// <summary>
/// A committed corpus of hostile specs (Corpus/*.yaml), each beside the exact message it must give
/// (Corpus/*.expected, with <c>{dir}</c> for the corpus folder). File parameters are checked against a gate whose only
/// root is the corpus folder. <c>GRADDESCENT_CORPUS_WRITE=1</c> rewrites the expected files from the current messages
/// (review the diff before committing it).
/// </summary>
public sealed class HostileCorpusTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static TheoryData<string> Specs() => [.. Directory.GetFiles(Folder, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Specs))]
    public void ParseFile_HostileSpec_GivesItsExpectedError(string file)
    {
        var path = Path.Combine(Folder, file);
        var limits = new SweepSpecLimits { Files = new FileGate(new FileAccessOptions { Roots = [Folder] }) };

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.ParseFile(path, limits));

        var actual = error.Message.Replace(Folder, "{dir}", StringComparison.Ordinal);
        var expectedFile = Path.ChangeExtension(file, ".expected");
        if (Environment.GetEnvironmentVariable("GRADDESCENT_CORPUS_WRITE") == "1")
        {
            File.WriteAllText(Path.Combine(SourceFolder(), expectedFile), actual + "\n");
            return;
        }

        Assert.Equal(File.ReadAllText(Path.Combine(Folder, expectedFile)).TrimEnd('\n'), actual);
    }

    [Fact]
    public void Corpus_EverySpecHasItsExpectedError() =>
        Assert.Equal(
            Directory.GetFiles(Folder, "*.yaml").Select(f => Path.ChangeExtension(f, ".expected")).Order(StringComparer.Ordinal),
            Directory.GetFiles(Folder, "*.expected").Order(StringComparer.Ordinal));

    private static string SourceFolder([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source))!, "Corpus");
}
