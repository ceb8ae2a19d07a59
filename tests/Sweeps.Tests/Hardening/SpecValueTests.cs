namespace GradDescent.Sweeps.Tests.Hardening;

/// <summary>Characters and numbers no spec may hold, reported at their line.</summary>
public sealed class SpecValueTests
{
    private const string Header = "name: hostile\nexperiment: linear-regression\n";

    [Theory]
    [InlineData("parameters:\n  data: \"/etc/passwd\\0.csv\"\n", "parameters.data", 4, 9, "control character U+0000 is not allowed in a value")]
    [InlineData("description: \"a\\x01b\"\n", "description", 3, 14, "control character U+0001 is not allowed in a value")]
    [InlineData("grid:\n  optimizer: [adam, \"gd\\e\"]\n", "grid.optimizer", 4, 21, "control character U+001B is not allowed in a value")]
    [InlineData("parameters:\n  \"iter\\0ations\": 5\n", "parameters.iter\\u0000ations", 4, 3, "control character U+0000 is not allowed in a value")]
    public void Parse_ControlCharacterFromAnEscape_RejectedAtTheValue(string body, string keyPath, int line, int column, string problem)
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + body, "ctl.yaml"));

        var only = Assert.Single(error.Errors);
        Assert.Equal((keyPath, line, column, problem), (only.KeyPath, only.Line, only.Column, only.Problem));
    }

    [Theory]
    [InlineData("description: a\u0000b\n", 3, 15, "control character U+0000 is not allowed in a spec")]
    [InlineData("description: ok\n# comment \u0007\n", 4, 11, "control character U+0007 is not allowed in a spec")]
    [InlineData("description: \u0085\u009b\n", 3, 15, "control character U+009B is not allowed in a spec")]
    [InlineData("description: \uffff\n", 3, 14, "control character U+FFFF is not allowed in a spec")]
    public void Parse_RawControlCharacter_RejectedAtLineAndColumn(string body, int line, int column, string problem)
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + body, "raw.yaml"));

        var only = Assert.Single(error.Errors);
        Assert.Equal((string.Empty, line, column, problem), (only.KeyPath, only.Line, only.Column, only.Problem));
    }

    [Fact]
    public void Parse_UnpairedSurrogate_RejectedAtLineAndColumn()
    {
        var text = Header + "description: " + '\ud800' + "x\n";

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "raw.yaml"));

        var only = Assert.Single(error.Errors);
        Assert.Equal((3, 14, "an unpaired UTF-16 surrogate is not allowed (the text is not valid Unicode)"), (only.Line, only.Column, only.Problem));
    }

    [Fact]
    public void Parse_TabsLineBreaksAndEmoji_Accepted()
    {
        var spec = SweepSpecParser.Parse(Header + "description: |\r\n  tabs\there \U0001F600\r\n  and lines\n", "ok.yaml");

        Assert.Equal("tabs\there \U0001F600\nand lines", spec.Description);
    }

    [Theory]
    [InlineData("parameters:\n  learning_rate: .nan\n", "parameters.learning_rate", "expected a finite number, got 'NaN'")]
    [InlineData("parameters:\n  init_slope: .inf\n", "parameters.init_slope", "expected a finite number, got 'Infinity'")]
    [InlineData("parameters:\n  init_slope: -1e999\n", "parameters.init_slope", "expected a finite number, got '-Infinity'")]
    [InlineData("parameters:\n  iterations: .nan\n", "parameters.iterations", "expected an integer, got 'NaN'")]
    [InlineData("grid:\n  learning_rate: [0.1, .NaN]\n", "grid.learning_rate", "expected a finite number, got 'NaN'")]
    [InlineData("grid:\n  learning_rate: {linear: [0.1, .inf], count: 3}\n", "grid.learning_rate.linear", "expected a finite number, got '.inf'")]
    [InlineData("grid:\n  learning_rate: {log: [1e-400, 1], count: 3}\n", "grid.learning_rate.log", "log bounds must both be positive")]
    [InlineData("random:\n  samples: 3\n  space:\n    init_slope: {uniform: [-.inf, 0]}\n", "random.space.init_slope.uniform", "expected a finite number, got '-.inf'")]
    [InlineData("random:\n  samples: 3\n  space:\n    init_slope: {log_uniform: [1, .nan]}\n", "random.space.init_slope.log_uniform", "expected a finite number, got '.nan'")]
    [InlineData("random:\n  samples: 3\n  space:\n    init_slope: {int_uniform: [0, 1e30]}\n", "random.space.init_slope.int_uniform", "expected an integer, got '1e30'")]
    [InlineData("seed: .nan\n", "seed", "expected an integer, got '.nan'")]
    public void Parse_NaNOrInfinityWhereANumberIsExpected_Rejected(string body, string keyPath, string problem)
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + body, "nan.yaml"));

        Assert.Equal((keyPath, problem), (error.KeyPath, error.Errors[0].Problem));
    }

    [Fact]
    public void GetTrial_UniformOverNearlyTheWholeDoubleRange_SamplesAcrossIt()
    {
        var plan = SweepPlan.Create(SweepSpecParser.Parse(Header + """
            random:
              samples: 2000
              space:
                init_slope: {uniform: [-1e308, 1e308]}
            """, "wide.yaml"));

        var values = plan.Enumerate().Select(t => t.Parameters.GetDouble("init_slope")).ToList();

        Assert.All(values, v => Assert.InRange(v, -1e308, 1e308));
        Assert.InRange(values.Count(v => v < 0) / 2000.0, 0.45, 0.55);
        Assert.InRange(values.Count(v => Math.Abs(v) < 5e307) / 2000.0, 0.45, 0.55);
        Assert.True(values.Distinct().Count() > 1990, "draws repeat");
    }

    [Fact]
    public void GetTrial_IntUniformOverTheWholeInt64Range_SamplesAcrossIt()
    {
        var plan = SweepPlan.Create(SweepSpecParser.Parse(Header + """
            random:
              samples: 2000
              space:
                init_slope: {int_uniform: [-9223372036854775808, 9223372036854775807]}
            """, "int64.yaml"));

        var values = plan.Enumerate().Select(t => t.Parameters.GetDouble("init_slope")).ToList();

        Assert.All(values, v => Assert.InRange(v, -9.3e18, 9.3e18));
        Assert.InRange(values.Count(v => v < 0) / 2000.0, 0.45, 0.55);
        Assert.InRange(values.Count(v => Math.Abs(v) < 4.611686018427388e18) / 2000.0, 0.45, 0.55);
    }

    [Fact]
    public void Integer_RangeOfThreeQuartersOf2To64_NoModuloBias()
    {
        // 2^64 mod range = 2^62: a plain "bits % range" would draw the first third of this range twice as often.
        const long low = long.MinValue;
        const long high = (1L << 62) - 1; // low + 3·2^62 − 1

        var draws = Enumerable.Range(0, 30_000).Select(k => RandomSampler.Integer(low, high, RandomSampler.Bits(7, k, 0))).ToList();

        Assert.All(draws, d => Assert.InRange(d, low, high));
        Assert.InRange(draws.Count(d => d < low + (1L << 62)) / 30_000.0, 0.32, 0.347);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(-3, 3)]
    [InlineData(long.MaxValue - 2, long.MaxValue)]
    [InlineData(long.MinValue, long.MinValue + 2)]
    public void Integer_SmallRanges_EveryValueAboutEquallyOften(long low, long high)
    {
        var size = (int)(high - low + 1);
        var counts = new int[size];
        const int draws = 7_000;
        for (var k = 0; k < draws; k++)
        {
            var value = RandomSampler.Integer(low, high, RandomSampler.Bits(11, k, 2));
            Assert.InRange(value, low, high);
            counts[value - low]++;
        }

        Assert.All(counts, c => Assert.InRange(c, (draws / size) * 0.9, (draws / size) * 1.1));
    }

    [Fact]
    public void Generate_LinearOverNearlyTheWholeDoubleRange_EvenlySpacedAndFinite()
    {
        var spec = SweepSpecParser.Parse(Header + "grid:\n  init_slope: {linear: [-1e308, 1e308], count: 5}\n", "lin.yaml");

        Assert.Equal(["-1E+308", "-5E+307", "0", "5E+307", "1E+308"], spec.Grid[0].Values.ToArray());
    }

    [Fact]
    public void Parse_TagThatIsNotAUri_MalformedYamlAtItsLine()
    {
        // Found by the fuzzer: YamlDotNet throws ArgumentException ("Global tags must be valid URIs") here.
        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + "description: !!ke]M text\n", "tag.yaml"));

        Assert.Equal((3, "malformed YAML: Global tags must be valid URIs."), (error.Line, error.Errors[0].Problem));
    }
}
