using System.Text;

namespace GradDescent.Sweeps.Tests.Hardening;

/// <summary>The limits that keep one hostile spec from costing unbounded stack, time or memory.</summary>
public sealed class SpecLimitsTests
{
    private const string Header = "name: hostile\nexperiment: linear-regression\n";

    [Theory]
    [InlineData('[', ']')]
    [InlineData('{', '}')]
    public void Parse_ThirtyThousandNestedBrackets_ReportsTheDepthWithoutOverflowingTheStack(char open, char close)
    {
        var nested = open == '['
            ? new string('[', 30_000) + new string(']', 30_000)
            : string.Concat(Enumerable.Repeat("{a: ", 30_000)) + "1" + new string(close, 30_000);
        var text = Header + "grid:\n  learning_rate: " + nested + "\n";

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "deep.yaml"));

        Assert.Single(error.Errors);
        Assert.Equal(open == '[' ? "grid.learning_rate" : "grid.learning_rate" + string.Concat(Enumerable.Repeat(".a", 30)), error.KeyPath);
        Assert.Equal(4, error.Line);
        Assert.Contains("nested more than 32 levels deep", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("deep.yaml:4:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AliasBombAsKey_RejectedAtTheKey()
    {
        var text = Header + AliasBomb(levels: 12, width: 9) + "grid:\n  ? *l11\n  : [1]\n";

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "bomb.yaml"));

        Assert.Equal("a key must be plain text, not an alias", error.Errors[0].Problem);
        Assert.Equal("grid", error.KeyPath);
    }

    [Fact]
    public void Parse_AliasBombAsGridAxis_ReportsEachListOnceWithBoundedWork()
    {
        // 9^12 leaves if expanded; the loader shares the nodes and the reader looks one level deep.
        var bomb = AliasBomb(levels: 12, width: 9).Replace("\n", "\n  ", StringComparison.Ordinal).TrimEnd();
        var text = Header + "description:\n  " + bomb + "\ngrid:\n  learning_rate: *l11\n";

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "bomb.yaml"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(("description", "expected text, got a mapping"), (error.Errors[0].KeyPath, error.Errors[0].Problem));
        Assert.Equal(10, error.Errors.Count);
        Assert.All(error.Errors.Skip(1), e => Assert.Equal(("grid.learning_rate", "expected a single value, got a list"), (e.KeyPath, e.Problem)));
        Assert.True(allocated < 64L * 1024 * 1024, $"parsing allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Parse_ThousandUnknownParameters_ListsTheFirstTwentyAndCountsTheRest()
    {
        var text = Header + "parameters:\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"  unknown_{i}: 1\n"));

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "many.yaml"));

        Assert.Equal(21, error.Errors.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"parameters.unknown_{i}"), error.Errors.Take(20).Select(e => e.KeyPath));
        Assert.Equal("... and 980 more problems (fix the ones above first)", error.Errors[20].Problem);
        Assert.Equal(21, error.Message.Split(Environment.NewLine).Length);
    }

    [Fact]
    public void Parse_ManyDuplicateGridValues_OneErrorAndBoundedMemory()
    {
        var values = string.Join(", ", Enumerable.Repeat("adam", 150_000));
        var text = Header + $"grid:\n  optimizer: [gd, {values}]\n";

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "dups.yaml"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var only = Assert.Single(error.Errors);
        Assert.Equal(("grid.optimizer", 4, 25), (only.KeyPath, only.Line, only.Column));
        Assert.Equal("value 'adam' is listed more than once", only.Problem);
        Assert.True(allocated < 256L * 1024 * 1024, $"parsing allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Parse_TwoMillionDuplicatesInFourMegabytes_RefusedBySizeNamingTheFile()
    {
        var text = Header + "grid:\n  optimizer: [" + string.Join(",", Enumerable.Repeat("a", 2_000_000)) + "]\n";

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "big.yaml"));

        Assert.Equal("big.yaml: the spec is 3.8 MiB, more than the limit of 1 MiB", error.Message);
        Assert.Null(error.Line);
    }

    [Fact]
    public void Parse_SevenAxesOfAThousandValues_SweepSpecExceptionNamingTheAxes()
    {
        var axes = new[] { "learning_rate", "iterations", "init_slope", "init_intercept", "intercept_grad_scale", "epsilon", "weight_decay" };
        var list = "[" + string.Join(", ", Enumerable.Range(1, 1000)) + "]";
        var text = Header + "grid:\n" + string.Concat(axes.Select(a => $"  {a}: {list}\n"));

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "huge.yaml"));

        Assert.Equal(
            "huge.yaml:1:1: expands to more than 9.2e18 trials (more than 9.2e18 grid points (learning_rate 1,000 × iterations 1,000 × init_slope 1,000 × init_intercept 1,000 × intercept_grad_scale 1,000 × epsilon 1,000 × weight_decay 1,000) + 0 random samples, × 1 repeats), more than the limit of 1,000,000",
            error.Message);
    }

    [Fact]
    public void Parse_GeneratorCountsBeyondTheTrialLimit_ReportedAtTheCountWithoutExpanding()
    {
        var text = Header + """
            grid:
              learning_rate: {log: [1.0e-6, 1.0], count: 1000000}
              init_slope: {linear: [-1, 1], count: 1000000}
              init_intercept: {linear: [-1, 1], count: 1000000}
            """;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "gen.yaml"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(["grid.init_slope.count", "grid.init_intercept.count"], error.Errors.Select(e => e.KeyPath));
        Assert.Equal("makes the grid more than the limit of 1000000 trials (learning_rate 1000000 × init_slope 1000000)", error.Errors[0].Problem);
        Assert.True(allocated < 512L * 1024 * 1024, $"parsing allocated {allocated:N0} bytes");
    }

    [Fact]
    public void ParseFile_LargerThanTheLimit_RefusedBeforeReadingNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gd-big-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var file = File.Create(path))
            {
                file.SetLength(5L * 1024 * 1024 * 1024);
            }

            var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.ParseFile(path));

            Assert.Equal($"{path}: the spec is more than 4 MiB, more than the limit of 1 MiB", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("/dev/zero", "is not a regular file (a device, FIFO or socket)")]
    [InlineData("/", "is a folder, not a sweep spec file")]
    public void ParseFile_NotARegularFile_RefusedWithoutReading(string path, string problem)
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.ParseFile(path));

        Assert.Equal($"{path}: {problem}", error.Message);
    }

    [Fact]
    public async Task ParseFile_Fifo_RefusedWithoutWaitingForAWriter()
    {
        var folder = Directory.CreateTempSubdirectory("gd-fifo-");
        try
        {
            var fifo = Path.Combine(folder.FullName, "spec.yaml");
            MakeFifo(fifo);

            var parse = Task.Run(() => SweepSpecParser.ParseFile(fifo));

            var error = await Assert.ThrowsAsync<SweepSpecException>(() => parse.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.EndsWith("is not a regular file (a device, FIFO or socket)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Anchors l0 … l(levels-1); each level lists the previous one <paramref name="width"/> times.</summary>
    internal static string AliasBomb(int levels, int width)
    {
        var text = new StringBuilder($"l0: &l0 [{string.Join(", ", Enumerable.Repeat("x", width))}]\n");
        for (var level = 1; level < levels; level++)
        {
            text.Append($"l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", width))}]\n");
        }

        return text.ToString();
    }

    internal static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
