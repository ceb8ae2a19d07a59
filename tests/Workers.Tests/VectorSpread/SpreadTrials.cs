using System.Text.Json.Nodes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.VectorSpread;
using TorchSharp;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>Builds bound vector-spread parameter sets, runs them on the CPU and reads outcomes.</summary>
internal static class SpreadTrials
{
    public static VectorSpreadExperiment Experiment { get; } = new();

    /// <summary>Every update rule the experiment offers: the article's ascent and each shared optimizer.</summary>
    public static IReadOnlyList<string> Rules { get; } = [VectorSpreadDefinition.Ascent, .. OptimizerCatalog.Names];

    public static ParameterSet Bind(params (string Name, object Value)[] values) =>
        VectorSpreadDefinition.Instance.Bind(values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value)));

    public static IReadOnlyList<TrialOutcome> Run(params TrialInput[] trials) =>
        Experiment.RunFused(trials, torch.CPU, CancellationToken.None);

    public static TrialOutcome RunOne(ParameterSet parameters, int seed) => Run(new TrialInput(parameters, seed))[0];

    /// <summary>Runs the trials with a forced program (the tensor program or the CPU kernel) and optional explicit starts.</summary>
    public static IReadOnlyList<TrialOutcome> RunWith(VectorSpreadExperiment.Program program, float[]? starts, params TrialInput[] trials) =>
        Experiment.Run(trials, torch.CPU, program, starts, CancellationToken.None);

    public static float[] Series(TrialOutcome outcome, string metric) =>
        outcome.History.Single(s => s.Metric == metric).Values;

    public static float[][] Vectors(TrialOutcome outcome) =>
        outcome.Detail["vectors"]!.AsArray()
            .Select(row => row!.AsArray().Select(x => x!.GetValue<float>()).ToArray())
            .ToArray();

    public static JsonArray History(TrialOutcome outcome) => outcome.ToDocument()["history"]!.AsArray();
}
