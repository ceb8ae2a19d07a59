namespace GradDescent.Sweeps.Tests;

public sealed class SweepSpecErrorTests
{
    /// <summary>Three lines: what a test appends starts on line 4.</summary>
    private const string Header = "name: bad\nexperiment: linear-regression\ndescription: errors\n";

    [Theory]
    // Line 2: "experiment: linear-regresion"; the value starts at column 13.
    [InlineData("name: bad\nexperiment: linear-regresion\n", "experiment", 2, 13, "unknown experiment 'linear-regresion' (known: linear-regression, vector-spread, adversarial)")]
    [InlineData("name: bad\n", "experiment", 1, 1, "is required")]
    [InlineData("experiment: adversarial\n", "name", 1, 1, "is required")]
    [InlineData("name: bad name\nexperiment: adversarial\n", "name", 1, 7, "'bad name' is not a valid sweep name: use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit")]
    [InlineData("name: bad\nexperiment: adversarial\nrepeat: 3\n", "repeat", 3, 1, "unknown key (expected one of name, description, experiment, parameters, grid, random, repeats, seed, max_attempts, batch_size, search, early_stopping, objectives, placement)")]
    [InlineData(Header + "repeats: 0\n", "repeats", 4, 10, "0 is out of range: must be between 1 and 2147483647")]
    [InlineData(Header + "repeats: two\n", "repeats", 4, 10, "expected an integer, got 'two'")]
    [InlineData(Header + "max_attempts: 0\n", "max_attempts", 4, 15, "0 is out of range: must be between 1 and 100")]
    [InlineData(Header + "batch_size: 0.5\n", "batch_size", 4, 13, "expected an integer, got '0.5'")]
    [InlineData(Header + "seed: \"1\"\n", "seed", 4, 7, "expected an integer, got the string '1'")]
    public void Parse_BadTopLevel_ReportsKeyAndPosition(string text, string keyPath, int line, int column, string problem) =>
        AssertError(text, keyPath, line, column, problem);

    [Theory]
    [InlineData(Header + "parameters:\n  iteratons: 50\n", "parameters.iteratons", 5, 3, "unknown parameter for experiment 'linear-regression'")]
    [InlineData(Header + "parameters:\n  iterations: fifty\n", "parameters.iterations", 5, 15, "expected an integer, got 'fifty'")]
    [InlineData(Header + "parameters:\n  iterations: 2.5\n", "parameters.iterations", 5, 15, "expected an integer, got '2.5'")]
    [InlineData(Header + "parameters:\n  iterations: \"50\"\n", "parameters.iterations", 5, 15, "expected an integer, got the string '50'")]
    [InlineData(Header + "parameters:\n  iterations: 0\n", "parameters.iterations", 5, 15, "0 is out of range: must be >= 1")]
    [InlineData(Header + "parameters:\n  learning_rate: [0.1]\n", "parameters.learning_rate", 5, 18, "expected a single value, got a list (to sweep a parameter, put it under grid or random.space)")]
    [InlineData(Header + "parameters:\n  init_slope:\n", "parameters.init_slope", 5, 14, "no value given (leave the key out to use the default)")]
    public void Parse_BadFixedParameter_ReportsKeyAndPosition(string text, string keyPath, int line, int column, string problem) =>
        AssertError(text, keyPath, line, column, problem);

    [Theory]
    [InlineData(Header + "grid:\n  optimizer: [gd, adamm]\n", "grid.optimizer", 5, 19, "'adamm' is not one of gd, sgd, momentum, nesterov, rmsprop, adam, adamw, adagrad, adadelta, adamax, nadam")]
    [InlineData(Header + "grid:\n  optimzer: [gd]\n", "grid.optimzer", 5, 3, "unknown parameter for experiment 'linear-regression'")]
    [InlineData(Header + "grid:\n  optimizer: []\n", "grid.optimizer", 5, 14, "empty axis: list at least one value")]
    [InlineData(Header + "grid:\n  optimizer: adam\n", "grid.optimizer", 5, 14, "expected a list of values or a generator")]
    [InlineData(Header + "grid:\n  optimizer: [adam, Adam]\n", "grid.optimizer", 5, 21, "value 'adam' is listed more than once")]
    [InlineData(Header + "grid:\n  learning_rate: [0.1, -0.5]\n", "grid.learning_rate", 5, 24, "-0.5 is out of range: must be > 0")]
    [InlineData(Header + "grid:\n  learning_rate:\n    - 0.1\n    - 1e-3\n    - x\n", "grid.learning_rate", 8, 7, "expected a number, got 'x'")]
    [InlineData(Header + "parameters:\n  optimizer: adam\ngrid:\n  optimizer: [gd]\n", "grid.optimizer", 7, 3, "is both fixed under parameters and swept under grid: keep one")]
    [InlineData(Header + "grid:\n  learning_rate: {log: [1.0e-4, 1.0], count: 0}\n", "grid.learning_rate.count", 5, 46, "0 is out of range: must be between 1 and 1000000")]
    [InlineData(Header + "grid:\n  learning_rate: {log: [-1, 1.0], count: 3}\n", "grid.learning_rate.log", 5, 25, "log bounds must both be positive")]
    [InlineData(Header + "grid:\n  learning_rate: {linear: [0, 1.0], count: 3}\n", "grid.learning_rate.linear", 5, 28, "0 is out of range: must be > 0")]
    [InlineData(Header + "grid:\n  learning_rate: {linear: [0.1], count: 3}\n", "grid.learning_rate.linear", 5, 27, "expected a list of two bounds [low, high]")]
    [InlineData(Header + "grid:\n  learning_rate: {log: [0.1, 1], count: 3, steps: 2}\n", "grid.learning_rate.steps", 5, 44, "unknown key (expected one of log, linear, count)")]
    [InlineData(Header + "grid:\n  learning_rate: {logg: [0.1, 1], count: 3}\n", "grid.learning_rate.logg", 5, 19, "unknown key (expected one of log, linear, count)")]
    [InlineData(Header + "grid:\n  learning_rate: {count: 3}\n", "grid.learning_rate", 5, 18, "a generator is {log: [low, high], count: n} or {linear: [low, high], count: n}")]
    [InlineData(Header + "grid:\n  optimizer: {log: [1, 2], count: 2}\n", "grid.optimizer.log", 5, 15, "a log generator needs a numeric parameter, and 'optimizer' is a choice: list its values instead")]
    [InlineData(Header + "grid:\n  iterations: {linear: [1.5, 10], count: 2}\n", "grid.iterations.linear", 5, 25, "expected an integer, got '1.5'")]
    public void Parse_BadGrid_ReportsKeyAndPosition(string text, string keyPath, int line, int column, string problem) =>
        AssertError(text, keyPath, line, column, problem);

    [Theory]
    [InlineData(Header + "random:\n  samples: 0\n  space:\n    learning_rate: {uniform: [0.1, 1]}\n", "random.samples", 5, 12, "0 is out of range: must be between 1 and 1000000")]
    [InlineData(Header + "random:\n  samples: 5\n", "random", 5, 3, "needs both samples")]
    [InlineData(Header + "random:\n", "random", 4, 8, "expected a mapping with keys samples, space, got nothing")]
    [InlineData(Header + "random:\n  samples:\n  space:\n    beta1: {uniform: [0.1, 0.2]}\n", "random.samples", 5, 11, "expected an integer, got nothing")]
    [InlineData(Header + "random:\n  samples: 5\n  space: {}\n", "random.space", 6, 10, "empty space: name at least one parameter to draw")]
    [InlineData(Header + "random:\n  samples: 5\n  space:\n    learning_rate: {log_uniform: [0, 1.0]}\n", "random.space.learning_rate.log_uniform", 7, 35, "0 is out of range: must be > 0")]
    [InlineData(Header + "random:\n  samples: 5\n  space:\n    momentum: {uniform: [0.5, 1.0]}\n", "random.space.momentum.uniform", 7, 31, "1 is out of range: must be < 1")]
    [InlineData(Header + "random:\n  samples: 5\n  space:\n    momentum: {uniform: [0.9, 0.5]}\n", "random.space.momentum.uniform", 7, 31, "the upper bound must be greater than the lower bound")]
    [InlineData(Header + "random:\n  samples: 5\n  space:\n    iterations: {uniform: [1, 10]}\n", "random.space.iterations.uniform", 7, 18, "needs a real parameter, and 'iterations' is an integer: use int_uniform")]
    [InlineData(Header + "random:\n  samples: 5\n  space:\n    iterations: {int_uniform: [0, 10]}\n", "random.space.iterations.int_uniform", 7, 32, "0 is out of range: must be >= 1")]
    [InlineData(Header + "random:\n  samples: 5\n  space:\n    optimizer: {choice: [adam, adamm]}\n", "random.space.optimizer.choice", 7, 32, "'adamm' is not one of")]
    [InlineData(Header + "random:\n  samples: 5\n  space:\n    optimizer: {pick: [adam]}\n", "random.space.optimizer.pick", 7, 17, "unknown key (expected one of uniform, log_uniform, int_uniform, choice)")]
    [InlineData(Header + "parameters:\n  learning_rate: 0.1\nrandom:\n  samples: 5\n  space:\n    learning_rate: {uniform: [0.1, 1]}\n", "random.space.learning_rate", 9, 5, "is both fixed under parameters and drawn under random.space: keep one")]
    public void Parse_BadRandom_ReportsKeyAndPosition(string text, string keyPath, int line, int column, string problem) =>
        AssertError(text, keyPath, line, column, problem);

    [Fact]
    public void Parse_MalformedYaml_ReportsParserLine()
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + "grid:\n  optimizer: [gd, sgd\nrepeats: 3\n", "bad.yaml"));

        Assert.Equal(string.Empty, ex.KeyPath);
        Assert.Equal(6, ex.Line);
        Assert.StartsWith("bad.yaml:6:1: malformed YAML: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("malformed YAML: ", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    [Theory]
    [InlineData(Header + "grid:\n  optimizer: ['gd, sgd]\n", 5, 15, "malformed YAML: While scanning a quoted scalar, found unexpected end of stream.")]
    [InlineData(Header + "grid:\n  optimizer:\n    - gd\n   - sgd\n", 7, 4, "malformed YAML: While parsing a block mapping, did not find expected key.")]
    public void Parse_MalformedYaml_ReportsYamlDotNetPosition(string text, int line, int column, string problem)
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "bad.yaml"));

        Assert.Equal($"bad.yaml:{line}:{column}: {problem}", ex.Message);
        Assert.IsType<YamlDotNet.Core.YamlException>(ex.InnerException, exactMatch: false);
    }

    [Fact]
    public void Parse_DuplicateKey_IsRejectedWithItsLine()
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + "repeats: 2\nrepeats: 3\n", "dup.yaml"));

        Assert.Equal(5, ex.Line);
        Assert.Contains("repeats", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the spec is empty")]
    [InlineData("# only a comment\n", "the spec is empty")]
    [InlineData("- name: a\n", "expected a mapping with keys name, description")]
    public void Parse_NotASpec_Throws(string text, string problem)
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "odd.yaml"));

        Assert.Equal(1, ex.Line);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralDocuments_PointsAtTheSecond()
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + "---\nname: other\n", "two.yaml"));

        Assert.Equal("two.yaml:5:1: a spec file holds one YAML document, this one has several", ex.Message);
    }

    [Fact]
    public void Parse_TooManyTrials_ReportsCountAndLimit()
    {
        var ex = Assert.Throws<SweepSpecException>(() =>
            SweepSpecParser.Parse(ExampleSpec.Yaml, "example.yaml", new SweepSpecLimits { MaxTrials = 221 }));

        Assert.Equal(
            "example.yaml:1:1: expands to 222 trials (54 grid points (optimizer 6 × learning_rate 9) + 20 random samples, × 3 repeats), more than the limit of 221",
            ex.Message);
    }

    [Fact]
    public void Parse_AtTheTrialLimit_IsAccepted() =>
        Assert.Equal(222, SweepSpecParser.Parse(ExampleSpec.Yaml, "example.yaml", new SweepSpecLimits { MaxTrials = 222 }).TotalTrials);

    [Fact]
    public void Parse_DefaultLimit_RejectsOverAMillionTrials()
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + """
            grid:
              learning_rate: {log: [1.0e-6, 1], count: 1000}
              momentum: {linear: [0, 0.99], count: 1000}
            repeats: 2
            """, "big.yaml"));

        Assert.Contains("expands to 2,000,000 trials", ex.Message, StringComparison.Ordinal);
        Assert.Contains("more than the limit of 1,000,000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllInDocumentOrder()
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + """
            repeats: 0
            grid:
              optimizer: [adamm]
            parameters:
              iterations: -1
            """, "many.yaml"));

        Assert.Equal(["repeats", "grid.optimizer", "parameters.iterations"], ex.Errors.Select(e => e.KeyPath));
        Assert.Equal([4, 6, 8], ex.Errors.Select(e => e.Line!.Value));
        Assert.Equal(3, ex.Message.Split(Environment.NewLine).Length);
    }

    [Fact]
    public void Parse_JsonWithBadValue_NamesKeyAndLine()
    {
        const string json = """
            {
              "name": "json",
              "experiment": "linear-regression",
              "grid": {
                "optimizer": ["gd", "adamm"]
              }
            }
            """;

        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(json, "sweep.json"));

        Assert.StartsWith("sweep.json:5:25: grid.optimizer: 'adamm' is not one of gd, sgd", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_MissingFile_NamesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml");

        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.ParseFile(path));

        Assert.Equal($"{path}: sweep spec file not found", ex.Message);
        Assert.Null(ex.Line);
        Assert.Equal(path, ex.SourceName);
    }

    private static void AssertError(string text, string keyPath, int line, int column, string problem)
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "sweeps/x.yaml"));

        var first = ex.Errors[0];
        Assert.Equal(keyPath, first.KeyPath);
        Assert.Equal(line, first.Line);
        Assert.Equal(column, first.Column);
        Assert.Contains(problem, first.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"sweeps/x.yaml:{line}:{column}: {keyPath}: ", ex.Message, StringComparison.Ordinal);
    }
}
