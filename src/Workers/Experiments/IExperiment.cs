using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using TorchSharp;

namespace GradDescent.Workers.Experiments;

/// <summary>
/// The workload contract: a trial is (experiment, parameters, seed) → per-step metrics and a final
/// result. Deterministic for a given seed on a given device; cancellable between steps.
/// </summary>
public interface IExperiment
{
    ExperimentDefinition Definition { get; }

    /// <summary>
    /// Checks what <see cref="ExperimentDefinition.Bind"/> cannot (files exist and parse, combinations
    /// make sense) before any math runs.
    /// </summary>
    /// <exception cref="ParameterException">Names the offending parameter (and file, line).</exception>
    void Validate(ParameterSet parameters);

    /// <summary>
    /// Trials whose keys are equal have the same shapes and run fused, as one batched tensor program
    /// over a leading trial dimension, with per-trial hyperparameters as tensors.
    /// </summary>
    string FusionKey(ParameterSet parameters);

    /// <summary>
    /// Runs trials that share one fusion key. Outcome i belongs to trial i and equals running trial i
    /// alone, to float tolerance. A trial that produces NaN or infinity is reported as diverged in its
    /// outcome; an exception means the whole group failed (the caller then isolates trials).
    /// </summary>
    IReadOnlyList<TrialOutcome> RunFused(IReadOnlyList<TrialInput> trials, torch.Device device, CancellationToken cancellationToken);
}
