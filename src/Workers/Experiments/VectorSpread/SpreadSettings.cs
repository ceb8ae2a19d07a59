using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The settings every trial of a fused vector-spread group shares: they fix the tensor shapes and
/// the program. Everything else (learning rate, decay, clipping, seed, energy exponents, optimizer
/// hyperparameters) is per trial.
/// </summary>
internal sealed record SpreadSettings(
    int Vectors,
    int Dims,
    string Method,
    string Optimizer,
    int Iterations,
    int LrDecayEvery,
    double? SharedLrDecay,
    int Restarts)
{
    public bool IsAscent => Optimizer == VectorSpreadDefinition.Ascent;

    public bool IsEnergy => Method == VectorSpreadDefinition.Energy;

    /// <summary>
    /// Reads the shared settings. An optimizer from the factory can only scale every trial's
    /// learning rate by one factor, so for those the decay factor is shared too (and part of the
    /// fusion key); the ascent rule decays each trial by its own factor.
    /// </summary>
    public static SpreadSettings From(ParameterSet parameters)
    {
        var optimizer = parameters.GetText("optimizer");
        return new SpreadSettings(
            parameters.GetInt("vectors"),
            parameters.GetInt("dims"),
            parameters.GetText("method"),
            optimizer,
            parameters.GetInt("iterations"),
            parameters.GetInt("lr_decay_every"),
            optimizer == VectorSpreadDefinition.Ascent ? null : parameters.GetDouble("lr_decay"),
            parameters.GetInt("restarts"));
    }

    public string FusionKey()
    {
        var key = string.Create(
            CultureInfo.InvariantCulture,
            $"vectors={Vectors};dims={Dims};method={Method};optimizer={Optimizer};iterations={Iterations};lr_decay_every={LrDecayEvery};restarts={Restarts}");
        return SharedLrDecay is { } decay
            ? key + ";lr_decay=" + decay.ToString("R", CultureInfo.InvariantCulture)
            : key;
    }
}
