using System.Globalization;
using GradDescent.Abstractions.Experiments;
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
public sealed class AdversarialExperiment(
    ILogger<AdversarialExperiment>? logger = null,
    SyntheticVictimRecipe? recipe = null,
    string? cacheFolder = null) : IExperiment
{
    private readonly SyntheticVictimRecipe recipe = recipe ?? SyntheticVictimRecipe.Default;

    public ExperimentDefinition Definition => AdversarialDefinition.Instance;

    public void Validate(ParameterSet parameters)
    {
        if (parameters.GetTextOrNull("model") is { } model)
        {
            LoadVictim(model, torch.CPU);
        }

        if (parameters.GetTextOrNull("image") is not null)
        {
            AttackSubject.Resolve(parameters, 0, PetClass.Dog, 32);
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

        if (parameters.GetTextOrNull("out") is { } outFolder && File.Exists(outFolder))
        {
            throw new ParameterException("out", $"'{Path.GetFullPath(outFolder)}' is a file, not a folder");
        }
    }

    public string FusionKey(ParameterSet parameters)
    {
        var model = parameters.GetTextOrNull("model") is { } path ? Path.GetFullPath(path) : $"synthetic:{recipe.Key}";
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
        var settings = new AttackSettings(
            first.GetText("target") == "cat" ? PetClass.Cat : PetClass.Dog,
            first.GetText("optimizer"),
            first.GetDouble("step"),
            first.GetInt("iterations"),
            first.GetDouble("budget"));

        string victimName;
        VictimModel victim;
        if (first.GetTextOrNull("model") is { } modelPath)
        {
            victim = LoadVictim(modelPath, device);
            victimName = Path.GetFullPath(modelPath);
        }
        else
        {
            var cached = SyntheticVictim.GetOrTrain(recipe, cacheFolder ?? SyntheticVictim.DefaultCacheFolder(), cancellationToken, logger);
            victim = VictimCache.Shared.Get(cached, device);
            victimName = SyntheticVictim.Description;
        }

        var subjects = trials
            .Select(t => AttackSubject.Resolve(t.Parameters, t.Seed, settings.Target, victim.Architecture.ImageSize, victim))
            .ToList();
        var traces = BatchedAttack.Run(
            victim, subjects.Select(s => s.Image).ToList(), settings, trials.Select(t => t.Parameters).ToList(), device, cancellationToken);
        return traces
            .Select((trace, i) => AttackReport.Build(trace, subjects[i], settings, victimName, trials[i].Parameters.GetTextOrNull("out")))
            .ToList();
    }

    private static VictimModel LoadVictim(string path, torch.Device device)
    {
        try
        {
            return VictimCache.Shared.Get(path, device);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ParameterException("model", e.Message.Contains(Path.GetFullPath(path), StringComparison.Ordinal)
                ? e.Message
                : $"cannot read model file '{Path.GetFullPath(path)}': {e.Message}");
        }
    }
}
