namespace GradDescent.Sweeps.Tests.Search;

public sealed class SearchSpecErrorTests
{
    /// <summary>Two lines: the search section starts on line 3.</summary>
    private const string Header = "name: bad\nexperiment: linear-regression\n";

    /// <summary>A valid search section on lines 3–7, its space entry on line 7.</summary>
    private const string Search = Header + "search:\n  algorithm: tpe\n  trials: 20\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n";

    [Theory]
    [InlineData(Search + "grid:\n  optimizer: [sgd, adam]\n", "search", 3, 1, "search: and grid: (line 8) are two ways to choose trials: keep one")]
    [InlineData(Header + "random:\n  samples: 3\n  space:\n    momentum: {uniform: [0, 0.5]}\n" + "search:\n  trials: 20\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n", "search", 7, 1, "search: and random: (line 3)")]
    [InlineData(Search + "repeats: 3\n", "repeats", 8, 10, "does not apply to a search sweep")]
    [InlineData(Header + "early_stopping: {algorithm: asha}\n", "early_stopping", 3, 1, "belongs to a search sweep: add a search: section")]
    [InlineData(Header + "objectives: [{metric: mse}]\n", "objectives", 3, 1, "belongs to a search sweep")]
    public void Parse_SearchBesideOtherSections_ReportsTheConflict(string text, string keyPath, int line, int column, string problem) =>
        AssertError(text, keyPath, line, column, problem);

    [Fact]
    public void Parse_SeedAtTopLevelAndInSearch_IsRejected() =>
        AssertError(Header + "seed: 3\nsearch:\n  seed: 4\n  trials: 20\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n",
            "search.seed", 5, 3, "the seed is given twice (also at line 3): keep search.seed");

    [Theory]
    [InlineData("search:\n  algorithm: bayes\n  trials: 5\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n", "search.algorithm", 5, 14, "unknown value 'bayes' (expected one of tpe, random, grid, nsga2)")]
    [InlineData("search:\n  trials: 5\n", "search", 5, 3, "needs space")]
    [InlineData("search:\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n", "search", 5, 3, "needs trials (the budget: how many trials to run)")]
    [InlineData("search:\n  trials: 0\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n", "search.trials", 5, 11, "0 is out of range: must be between 1 and 1000000")]
    [InlineData("search:\n  trials: 5\n  batch: 0\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n", "search.batch", 6, 10, "0 is out of range")]
    [InlineData("search:\n  trials: 5\n  parallel_batches: 0\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n", "search.parallel_batches", 6, 21, "0 is out of range")]
    [InlineData("search:\n  trials: 5\n  liar: min\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n", "search.liar", 6, 9, "unknown value 'min' (expected one of worst, mean, best)")]
    [InlineData("search:\n  algorithm: random\n  trials: 5\n  candidates: 10\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n", "search.candidates", 7, 3, "applies to algorithm tpe only, not random")]
    [InlineData("search:\n  trials: 5\n  budget: 5\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n", "search.budget", 6, 3, "unknown key (expected one of algorithm, trials, batch, seed, space")]
    public void Parse_BadSearchKey_ReportsKeyAndPosition(string section, string keyPath, int line, int column, string problem) =>
        AssertError(Header + "description: x\n" + section, keyPath, line, column, problem);

    [Theory]
    [InlineData("    momentum: {uniform: [0.0, 0.99], when: {optimizer: [momentum]}}\n", "search.space.momentum.when.optimizer", 6, 45, "'optimizer' is not a parameter listed before this one in search.space")]
    [InlineData("    optimizer: {choice: [sgd, adam]}\n    momentum: {uniform: [0.0, 0.99], when: {optimizer: [momentum]}}\n", "search.space.momentum.when.optimizer", 7, 57, "'momentum' is not one of optimizer's choices in search.space (sgd, adam)")]
    [InlineData("    optimizer: {choice: [sgd, adam]}\n    momentum: {uniform: [0.0, 0.99], when: {optimizer: [adamm]}}\n", "search.space.momentum.when.optimizer", 7, 57, "'adamm' is not one of")]
    [InlineData("    momentum: {uniform: [0.0, 0.99], when: {optimizer: [momentum]}}\n    optimizer: {choice: [sgd, momentum]}\n", "search.space.momentum.when.optimizer", 6, 45, "'optimizer' is not a parameter listed before this one")]
    [InlineData("    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n    momentum: {uniform: [0.0, 0.99], when: {learning_rate: [0.1]}}\n", "search.space.momentum.when.learning_rate", 7, 45, "'learning_rate' is a log_uniform dimension: conditions name choice dimensions")]
    [InlineData("    optimizer: {choice: [sgd, adam]}\n    momentum: {uniform: [0.0, 0.99], when: {optimizer: []}}\n", "search.space.momentum.when.optimizer", 7, 56, "expected a non-empty list of optimizer's choices")]
    [InlineData("    optimizer: {choice: [sgd, adam]}\n    momentum: {uniform: [0.0, 0.99], when: {}}\n", "search.space.momentum.when", 7, 44, "empty condition")]
    [InlineData("    momentum: {uniform: [0.0, 0.99], choice: [0.5]}\n", "search.space.momentum", 6, 15, "name exactly one distribution (uniform, log_uniform, int_uniform, choice)")]
    [InlineData("    momentum: 0.5\n", "search.space.momentum", 6, 15, "expected a distribution such as {log_uniform: [1.0e-5, 1.0]}")]
    [InlineData("    momentum: {uniform: [0.0, 0.99], count: 3}\n", "search.space.momentum.count", 6, 38, "count applies to the grid algorithm only")]
    [InlineData("    momentum: {uniform: [0.0, 1.5]}\n", "search.space.momentum.uniform", 6, 31, "1.5 is out of range: must be < 1")]
    [InlineData("    iterations: {uniform: [1, 10]}\n", "search.space.iterations.uniform", 6, 18, "needs a real parameter, and 'iterations' is an integer: use int_uniform")]
    [InlineData("    lr: {uniform: [0.1, 1]}\n", "search.space.lr", 6, 5, "unknown parameter for experiment 'linear-regression'")]
    [InlineData("    momentum: {uniform: [0.0, 0.99], if: {optimizer: [momentum]}}\n", "search.space.momentum.if", 6, 38, "unknown key (expected one of uniform, log_uniform, int_uniform, choice, when, count)")]
    public void Parse_BadSpace_ReportsKeyAndPosition(string entries, string keyPath, int line, int column, string problem) =>
        AssertError(Header + "search:\n  trials: 5\n  space:\n" + entries, keyPath, line, column, problem);

    [Fact]
    public void Parse_SpaceParameterAlsoFixed_IsRejected() =>
        AssertError(Header + "parameters:\n  momentum: 0.5\nsearch:\n  trials: 5\n  space:\n    momentum: {uniform: [0.0, 0.9]}\n",
            "search.space.momentum", 8, 5, "is both fixed under parameters and searched under search.space: keep one");

    [Theory]
    [InlineData("    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n", "search.space.learning_rate.log_uniform", 6, 21, "the grid algorithm needs count: n here")]
    [InlineData("    optimizer: {choice: [sgd, adam], count: 2}\n", "search.space.optimizer.count", 6, 38, "count applies to uniform and log_uniform only")]
    [InlineData("    learning_rate: {log_uniform: [1.0e-5, 1.0], count: 0}\n", "search.space.learning_rate.count", 6, 56, "0 is out of range")]
    public void Parse_BadGridSpace_ReportsKeyAndPosition(string entries, string keyPath, int line, int column, string problem) =>
        AssertError(Header + "search:\n  algorithm: grid\n  space:\n" + entries, keyPath, line, column, problem);

    [Fact]
    public void Parse_GridBudgetOverItsSize_IsRejected() =>
        AssertError(Header + "search:\n  algorithm: grid\n  trials: 5\n  space:\n    optimizer: {choice: [sgd, adam]}\n",
            "search.trials", 5, 11, "5 is more than the grid's 2 points");

    [Fact]
    public void Parse_HugeGrid_IsRejectedAtTheSearchSection() =>
        AssertError(Header + "search:\n  algorithm: grid\n  space:\n    iterations: {int_uniform: [1, 1000]}\n    learning_rate: {log_uniform: [1.0e-5, 1.0], count: 2000}\n",
            "search", 4, 3, "the grid has 2,000,000 points, more than the limit of 1,000,000: set trials to run part of it");

    [Theory]
    [InlineData("early_stopping: {algorithm: hyperband}\n", "early_stopping.algorithm", 8, 29, "unknown value 'hyperband' (expected one of asha, median, none)")]
    [InlineData("early_stopping: {metric_step: 5}\n", "early_stopping", 8, 17, "needs algorithm (asha, median or none)")]
    [InlineData("early_stopping: {algorithm: none, metric_step: 5}\n", "early_stopping.metric_step", 8, 35, "has no effect with algorithm none")]
    [InlineData("early_stopping: {algorithm: median, reduction_factor: 3}\n", "early_stopping.reduction_factor", 8, 37, "applies to algorithm asha only")]
    [InlineData("early_stopping: {algorithm: asha, startup_trials: 3}\n", "early_stopping.startup_trials", 8, 35, "applies to algorithm median only")]
    [InlineData("early_stopping: {algorithm: asha, reduction_factor: 1}\n", "early_stopping.reduction_factor", 8, 53, "1 is out of range: must be between 2 and")]
    [InlineData("early_stopping: {algorithm: asha, metric_step: 0}\n", "early_stopping.metric_step", 8, 48, "0 is out of range")]
    [InlineData("early_stopping: {algorithm: asha, min_iterations: 25}\n", "early_stopping.min_iterations", 8, 51, "the first check is at iteration 25, but no trial runs more than 25 iterations, so nothing would ever stop")]
    [InlineData("early_stopping: {algorithm: asha, metric_step: 30}\n", "early_stopping", 8, 48, "the first check is at iteration 30")]
    public void Parse_BadEarlyStopping_ReportsKeyAndPosition(string section, string keyPath, int line, int column, string problem) =>
        AssertError(Search + section, keyPath, line, column, problem);

    [Fact]
    public void Parse_EarlyStoppingWithSeveralObjectives_IsRejected() =>
        AssertError(Search + "early_stopping: {algorithm: asha}\nobjectives:\n  - {metric: mse}\n  - {metric: loss, reach: 0.9}\n",
            "early_stopping", 8, 1, "needs a single objective, and objectives lists 2");

    [Fact]
    public void Parse_EarlyStoppingAgainstTheObjectivesGoal_IsRejected() =>
        AssertError(Search + "early_stopping: {algorithm: asha}\nobjectives:\n  - {metric: slope, goal: maximize}\n",
            "early_stopping", 8, 1, "reads the step series loss, which is minimized, but the objective slope is maximized");

    [Fact]
    public void Parse_EarlyStoppingOnLongerSearchedIterations_IsAccepted()
    {
        var spec = SearchHarness.Parse(Header + "search:\n  trials: 5\n  space:\n    iterations: {int_uniform: [10, 200]}\nearly_stopping: {algorithm: asha, min_iterations: 150}\n");

        Assert.Equal(150, spec.Search!.EarlyStopping!.MinIterations);
    }

    [Theory]
    [InlineData("objectives: []\n", "objectives", 8, 13, "expected a non-empty list such as [{metric: mse, goal: minimize}]")]
    [InlineData("objectives:\n  - {metric: accuracy, goal: maximize}\n", "objectives[0].metric", 9, 14, "'accuracy' is not a final metric of experiment 'linear-regression' (known: mse, loss, slope")]
    [InlineData("objectives:\n  - {metric: mse_gap, reach: 0.99}\n", "objectives[0].metric", 9, 14, "'mse_gap' is not a step series of experiment 'linear-regression', which reach needs (known: loss, slope, intercept)")]
    [InlineData("objectives:\n  - {metric: slope}\n", "objectives[0]", 9, 5, "needs goal (minimize or maximize) for 'slope'; only the primary metric mse has a default")]
    [InlineData("objectives:\n  - {metric: mse, goal: lower}\n", "objectives[0].goal", 9, 25, "unknown value 'lower' (expected minimize or maximize)")]
    [InlineData("objectives:\n  - {metric: loss, reach: 1.5}\n", "objectives[0].reach", 9, 27, "1.5 is out of range: a fraction in (0, 1]")]
    [InlineData("objectives:\n  - {metric: loss, reach: 0.9, goal: maximize}\n", "objectives[0].goal", 9, 38, "iterations to reach a value are minimized")]
    [InlineData("objectives:\n  - {metric: mse}\n  - {metric: mse, goal: minimize}\n", "objectives[1]", 10, 5, "'mse' is listed twice")]
    [InlineData("objectives:\n  - {goal: minimize}\n", "objectives[0]", 9, 5, "needs metric")]
    [InlineData("objectives:\n  - {metric: mse}\n  - {metric: loss}\n  - {metric: slope, goal: minimize}\n  - {metric: intercept, goal: minimize}\n  - {metric: exact_mse, goal: minimize}\n", "objectives", 13, 5, "at most 4 objectives")]
    public void Parse_BadObjectives_ReportsKeyAndPosition(string section, string keyPath, int line, int column, string problem) =>
        AssertError(Search + section, keyPath, line, column, problem);

    [Theory]
    [InlineData("search:\n  algorithm: tpe\n  trials: 5\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n")]
    [InlineData("search:\n  algorithm: nsga2\n  trials: 5\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\n")]
    [InlineData("search:\n  algorithm: random\n  trials: 5\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\nearly_stopping: {algorithm: asha}\n")]
    [InlineData("search:\n  algorithm: random\n  trials: 5\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\nobjectives: [{metric: mse}, {metric: loss, reach: 0.99}]\n")]
    public void Parse_AdaptiveSearchWithDefaultLimits_IsAccepted(string section)
    {
        var spec = SweepSpecParser.Parse(Header + "description: x\n" + section, "sweeps/x.yaml");

        Assert.NotNull(spec.Search);
    }

    [Fact]
    public void Parse_EarlyStoppingOnAnExperimentThatCannotStop_IsRejected()
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(
            "name: bad\nexperiment: vector-spread\nsearch:\n  algorithm: random\n  trials: 5\n  space:\n    learning_rate: {log_uniform: [1.0e-5, 1.0]}\nearly_stopping: {algorithm: asha}\n",
            "sweeps/x.yaml"));

        var first = ex.Errors[0];
        Assert.Equal(("early_stopping.algorithm", 8, 29), (first.KeyPath, first.Line ?? 0, first.Column ?? 0));
        Assert.Contains("experiment 'vector-spread' cannot stop trials inside a running batch yet", first.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_ListsTheSearchKeys()
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + "serch: {}\n", "x.yaml"));

        Assert.Contains("batch_size, search, early_stopping, objectives, placement)", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertError(string text, string keyPath, int line, int column, string problem)
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "sweeps/x.yaml"));

        var first = ex.Errors[0];
        Assert.Equal((keyPath, line, column), (first.KeyPath, first.Line ?? 0, first.Column ?? 0));
        Assert.Contains(problem, first.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"sweeps/x.yaml:{line}:{column}: {keyPath}: ", ex.Message, StringComparison.Ordinal);
    }
}
