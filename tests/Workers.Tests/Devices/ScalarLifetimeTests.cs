using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.LinearRegression;
using GradDescent.Workers.Experiments.VectorSpread;
using GradDescent.Workers.Optimization;
using GradDescent.Workers.Tests.Optimization;
using GradDescent.Workers.Tests.VectorSpread;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.Devices;

/// <summary>
/// Regression tests for the TorchSharp Scalar finalizer race (docs/torchsharp-notes.md): a Scalar
/// created implicitly from a number is unreachable while libtorch still reads it, so a collection
/// during the native call frees it under libtorch's feet. Each test computes a workload once
/// quietly, then repeats it while another thread collects and finalizes nonstop; on the same CPU
/// code path every number must come out bit for bit the same, and nothing may throw.
/// </summary>
[Collection(FinalizerPressureCollection.Name)]
public sealed class ScalarLifetimeTests
{
    private const int Repetitions = 2;

    [Fact]
    public void LinearRegressionFusedAndAlone_UnderFinalizerPressure_SameBitsAsWithout() =>
        AssertStableUnderPressure(LinearRegressionWorkload);

    [Fact]
    public void VectorSpreadFusedAndAlone_UnderFinalizerPressure_SameBitsAsWithout() =>
        AssertStableUnderPressure(VectorSpreadWorkload);

    [Fact]
    public void OptimizerSteps_UnderFinalizerPressure_SameBitsAsWithout() =>
        AssertStableUnderPressure(OptimizerWorkload);

    private static void AssertStableUnderPressure(Func<List<double>> workload)
    {
        var expected = workload();
        using var pressure = FinalizerPressure.Start();
        for (var repetition = 0; repetition < Repetitions; repetition++)
        {
            var actual = workload();
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.True(
                    expected[i].Equals(actual[i]),
                    $"repetition {repetition}, value {i}: {actual[i]:R} under GC pressure, {expected[i]:R} without");
            }
        }
    }

    /// <summary>Every optimizer: three trials fused, then each alone.</summary>
    private static List<double> LinearRegressionWorkload()
    {
        var experiment = new LinearRegressionExperiment();
        var values = new List<double>();
        foreach (var optimizer in OptimizerCatalog.Names)
        {
            var adaptive = optimizer is not ("gd" or "sgd" or "momentum" or "nesterov");
            double[] rates = adaptive ? [0.05, 0.1, 0.2] : [1e-5, 2e-5, 3e-5];
            ParameterSet[] trials =
            [
                BindRegression(("optimizer", optimizer), ("iterations", 60), ("learning_rate", rates[0]), ("init_intercept", -180.0), ("intercept_grad_scale", 1000.0)),
                BindRegression(("optimizer", optimizer), ("iterations", 60), ("learning_rate", rates[1]), ("init_slope", 5.0), ("beta1", 0.8), ("momentum", 0.5), ("rho", 0.8)),
                BindRegression(("optimizer", optimizer), ("iterations", 60), ("learning_rate", rates[2]), ("init_slope", 6.5), ("epsilon", 1e-3)),
            ];
            var inputs = trials.Select(p => new TrialInput(p, 1)).ToList();
            Append(values, experiment.RunFused(inputs, torch.CPU, CancellationToken.None));
            foreach (var input in inputs)
            {
                Append(values, experiment.RunFused([input], torch.CPU, CancellationToken.None));
            }
        }

        return values;
    }

    /// <summary>
    /// Every method with the article's rule and two optimizers: three trials fused, then each alone, in
    /// the tensor program (the CPU kernel that tangential-force and energy use with ascent and adam
    /// creates no Scalars).
    /// </summary>
    private static List<double> VectorSpreadWorkload()
    {
        var values = new List<double>();
        foreach (var method in VectorSpreadDefinition.Methods)
        {
            foreach (var rule in new[] { VectorSpreadDefinition.Ascent, "adam", "rmsprop" })
            {
                ParameterSet Trial(double learningRate, params (string, object)[] extra) => SpreadTrials.Bind(
                    [("vectors", 5), ("dims", 3), ("method", method), ("optimizer", rule), ("iterations", 12),
                     ("learning_rate", learningRate), ("lr_decay", 0.8), ("lr_decay_every", 7), .. extra]);
                TrialInput[] trials =
                [
                    new(Trial(0.05), 1),
                    new(Trial(0.02, ("clip_norm", 0.05), ("rho", 0.8), ("beta1", 0.8)), 2),
                    new(Trial(0.1, ("clip_norm", 1.0)), 3),
                ];
                Append(values, SpreadTrials.RunWith(VectorSpreadExperiment.Program.Tensor, null, trials));
                foreach (var trial in trials)
                {
                    Append(values, SpreadTrials.RunWith(VectorSpreadExperiment.Program.Tensor, null, trial));
                }
            }
        }

        return values;
    }

    /// <summary>Every optimizer: fifty steps of three trials on a [3, 2] and a [3] parameter, halving the learning rate midway.</summary>
    private static List<double> OptimizerWorkload()
    {
        Dictionary<string, double>[] hyper =
        [
            new() { ["learning_rate"] = 0.1 },
            new() { ["learning_rate"] = 0.05, ["momentum"] = 0.5, ["rho"] = 0.8, ["beta1"] = 0.8, ["beta2"] = 0.99, ["epsilon"] = 1e-3, ["weight_decay"] = 0.1 },
            new() { ["learning_rate"] = 0.2, ["beta1"] = 0.95, ["rho"] = 0.99, ["initial_accumulator"] = 0.5 },
        ];
        var values = new List<double>();
        foreach (var name in OptimizerCatalog.Names)
        {
            using var scope = torch.NewDisposeScope();
            var matrix = torch.tensor(new[] { 1f, -0.5f, 2f, 0.25f, -1.5f, 3f }, [3, 2]);
            var vector = torch.tensor(new[] { 0.5f, -1f, 4f });
            var target = torch.tensor(new[] { 0.3f, -0.7f });
            var vectorTarget = torch.tensor(new[] { 1f, 1f, 1f });
            using var optimizer = BatchedOptimizerFactory.Create(name, hyper.Select(ReferenceHyperParameters.ToParameterSet).ToList(), torch.CPU);
            for (var step = 0; step < 50; step++)
            {
                using var stepScope = torch.NewDisposeScope();
                optimizer.Step([matrix, vector], [matrix - target, vector - vectorTarget]);
                if (step == 24)
                {
                    optimizer.ScaleLearningRate(0.5);
                }

                values.AddRange(matrix.data<float>().ToArray().Select(x => (double)x));
                values.AddRange(vector.data<float>().ToArray().Select(x => (double)x));
            }
        }

        return values;
    }

    private static void Append(List<double> values, IEnumerable<TrialOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            values.Add(outcome.DivergedAtStep ?? -1);
            values.AddRange(outcome.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value));
            foreach (var series in outcome.History)
            {
                values.AddRange(series.Values.Select(x => (double)x));
            }

            values.Add(outcome.Detail.ToJsonString().GetHashCode(StringComparison.Ordinal));
        }
    }

    private static ParameterSet BindRegression(params (string Name, object Value)[] values) =>
        LinearRegressionDefinition.Instance.Bind(values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value)));
}
