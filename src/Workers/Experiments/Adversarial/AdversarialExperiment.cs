using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments.Adversarial.Attack;
using GradDescent.Workers.Experiments.Adversarial.Synthetic;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using GradDescent.Workers.Optimization;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace GradDescent.Workers.Experiments.Adversarial;

/// <summary>
/// Article Example 3: pushes an image towards a target class of a dog-vs-cat CNN, either with the
/// article's sign-gradient steps or with an optimizer on an L∞-bounded perturbation. Trials of one
/// fusion key (same victim, target, optimizer, iterations, step, budget) attack their images as one batch.
/// </summary>
/// <param name="logger">Receives a line when the synthetic victim is trained.</param>
/// <param name="recipe">The synthetic stand-in victim used when a trial names no model (default: the article-size network).</param>
/// <param name="cacheFolder">Where the synthetic victim is cached (default: <see cref="SyntheticVictim.DefaultCacheFolder"/>).</param>
/// <param name="files">Where <c>image</c> and <c>model</c> may be read and <c>out</c> written; null: <see cref="FileGate.Closed"/> (no files).</param>
public sealed class AdversarialExperiment(
    ILogger<AdversarialExperiment>? logger = null,
    SyntheticVictimRecipe? recipe = null,
    string? cacheFolder = null,
    FileGate? files = null) : IExperiment
{
    private const string ModelParameter = "model";
    private const string OutParameter = "out";

    private readonly SyntheticVictimRecipe recipe = recipe ?? SyntheticVictimRecipe.Default;
    private readonly FileGate files = files ?? FileGate.Closed;

    public ExperimentDefinition Definition => AdversarialDefinition.Instance;

    public void Validate(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.GetTextOrNull(ModelParameter) is { } model)
        {
            LoadVictim(model, torch.CPU);
        }

        if (parameters.GetTextOrNull(AttackSubject.ImageParameter) is not null)
        {
            AttackSubject.Resolve(parameters, files, 0, PetClass.Dog, 32);
        }

        var optimizer = parameters.GetText("optimizer");
        if (optimizer != AdversarialDefinition.Sign)
        {
            try
            {
                BatchedOptimizerFactory.Create(optimizer, [parameters], torch.CPU).Dispose();
            }
            catch (ArgumentException e)
            {
                throw new ParameterException("optimizer", e.Message);
            }
        }

        if (parameters.GetTextOrNull(OutParameter) is { } outFolder)
        {
            files.ResolveOutputFolder(OutParameter, outFolder);
        }
    }

    public string FusionKey(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var model = parameters.GetTextOrNull(ModelParameter) is { } path ? files.ResolveInput(ModelParameter, path).Identity : $"synthetic:{recipe.Key}";
        return string.Create(CultureInfo.InvariantCulture,
            $"{AdversarialDefinition.Name}|model={model}|target={parameters.GetText("target")}|optimizer={parameters.GetText("optimizer")}|iterations={parameters.GetText("iterations")}|step={parameters.GetText("step")}|budget={parameters.GetText("budget")}");
    }

    public IReadOnlyList<TrialOutcome> RunFused(IReadOnlyList<TrialInput> trials, torch.Device device, CancellationToken cancellationToken)
    {
        if (trials.Count == 0)
        {
            return [];
        }

        var first = trials[0].Parameters;
        var stopping = TrialInputs.SharedStoppingPlan(trials, Definition);
        var settings = new AttackSettings(
            first.GetText("target") == "cat" ? PetClass.Cat : PetClass.Dog,
            first.GetText("optimizer"),
            first.GetDouble("step"),
            first.GetInt("iterations"),
            first.GetDouble("budget"));

        string victimName;
        VictimModel victim;
        if (first.GetTextOrNull(ModelParameter) is { } modelPath)
        {
            victim = LoadVictim(modelPath, device);
            victimName = files.ResolveInput(ModelParameter, modelPath).FullPath;
        }
        else
        {
            var cached = SyntheticVictim.GetOrTrain(recipe, cacheFolder ?? SyntheticVictim.DefaultCacheFolder(), cancellationToken, logger);
            victim = VictimCache.Shared.Get(cached, device);
            victimName = SyntheticVictim.Description;
        }

        var subjects = trials
            .Select(t => AttackSubject.Resolve(t.Parameters, files, t.Seed, settings.Target, victim.Architecture.ImageSize, victim))
            .ToList();
        var traces = BatchedAttack.Run(
            victim, subjects.Select(s => s.Image).ToList(), settings, trials.Select(t => t.Parameters).ToList(), device, cancellationToken, stopping);
        return traces
            .Select((trace, i) => AttackReport.Build(
                trace, subjects[i], settings, victimName, OutFolder(trials[i].Parameters), files, trials[i].Parameters.GetTextOrNull("keep_images") != "false"))
            .ToList();
    }

    private ConfinedFolder? OutFolder(ParameterSet parameters) =>
        parameters.GetTextOrNull(OutParameter) is { } path ? files.ResolveOutputFolder(OutParameter, path) : null;

    /// <exception cref="ParameterException">The model may not be read or is not a victim this build can read (never quoting its content).</exception>
    private VictimModel LoadVictim(string path, torch.Device device)
    {
        var file = files.ResolveInput(ModelParameter, path);
        try
        {
            return VictimCache.Shared.Get(file, files, device);
        }
        catch (InvalidDataException e)
        {
            throw new ParameterException(ModelParameter, e.Message);
        }
        catch (Exception e) when (e is not ParameterException and not OperationCanceledException)
        {
            throw new ParameterException(
                ModelParameter, $"'{path}' is not a model this build can read (expected a saved GradDescent victim or Keras HDF5 weights of the article's network; {e.GetType().Name})");
        }
    }
}
