using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.VectorSpread;
using TorchSharp;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>Builds bound vector-spread parameter sets and runs them on the CPU.</summary>
internal static class SpreadTrials
{
    public static VectorSpreadExperiment Experiment { get; } = new();

    public static ParameterSet Bind(params (string Name, object Value)[] values) =>
        VectorSpreadDefinition.Instance.Bind(values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value)));

    public static IReadOnlyList<TrialOutcome> Run(params TrialInput[] trials) =>
        Experiment.RunFused(trials, torch.CPU, CancellationToken.None);

    public static TrialOutcome RunOne(ParameterSet parameters, int seed) => Run(new TrialInput(parameters, seed))[0];
}
