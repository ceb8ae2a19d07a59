using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Optimization;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.Optimization;

public sealed class BatchedOptimizerKeepTests
{
    private static readonly Dictionary<string, double>[] Trials =
    [
        new() { ["learning_rate"] = 0.1 },
        new() { ["learning_rate"] = 0.05, ["momentum"] = 0.5, ["rho"] = 0.8, ["beta1"] = 0.8, ["beta2"] = 0.99, ["epsilon"] = 1e-3, ["weight_decay"] = 0.1 },
        new() { ["learning_rate"] = 0.2, ["beta1"] = 0.95, ["rho"] = 0.99, ["initial_accumulator"] = 0.5 },
    ];

    private static readonly float[] Start = [1.0f, -0.5f, 2.0f, 0.25f, -1.5f, 3.0f];

    public static TheoryData<string> Names() => [.. OptimizerCatalog.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Keep_TwoOfThreeTrialsMidRun_LaterStepsEqualTheFullBatchsRows(string name)
    {
        using var scope = torch.NewDisposeScope();
        var full = torch.tensor(Start, [3, 2]);
        var kept = torch.tensor(Start, [3, 2]);
        var goal = torch.tensor(0.3f);
        using var all = BatchedOptimizerFactory.Create(name, Trials.Select(ReferenceHyperParameters.ToParameterSet).ToList(), torch.CPU);
        using var some = BatchedOptimizerFactory.Create(name, Trials.Select(ReferenceHyperParameters.ToParameterSet).ToList(), torch.CPU);
        for (var step = 0; step < 3; step++)
        {
            all.Step([full], [full - goal]);
            some.Step([kept], [kept - goal]);
        }

        // Trials 2 and 0 go on, in that order; trial 1 is dropped with its state.
        var rows = torch.tensor(new long[] { 2, 0 });
        kept = kept.index_select(0, rows);
        some.Keep(rows);
        for (var step = 0; step < 3; step++)
        {
            all.Step([full], [full - goal]);
            some.Step([kept], [kept - goal]);
        }

        var expected = full.index_select(0, rows).data<float>().ToArray();
        Assert.Equal(expected, kept.data<float>().ToArray());
    }

    [Fact]
    public void Step_AfterKeep_RefusesTheOldTrialCount()
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.zeros(3, 2);
        using var optimizer = BatchedOptimizerFactory.Create("adam", Trials.Select(ReferenceHyperParameters.ToParameterSet).ToList(), torch.CPU);
        optimizer.Step([p], [torch.ones(3, 2)]);

        optimizer.Keep(torch.tensor(new long[] { 1 }));

        var error = Assert.Throws<ArgumentException>(() => optimizer.Step([p], [torch.ones(3, 2)]));
        Assert.Contains("trial count 1", error.Message, StringComparison.Ordinal);
    }
}
