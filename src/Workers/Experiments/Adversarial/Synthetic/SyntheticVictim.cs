using System.Collections.Concurrent;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using Microsoft.Extensions.Logging;

namespace GradDescent.Workers.Experiments.Adversarial.Synthetic;

/// <summary>
/// The built-in victim used when a trial names no model: the network trained once on
/// <see cref="SyntheticPets"/> images and cached on disk as <c>adversarial-victim-&lt;key&gt;.victim</c>.
/// The file is written to a temporary name and renamed, so a concurrent or interrupted run never
/// reads half a file; within a process one caller trains and the others wait for it.
/// </summary>
public static partial class SyntheticVictim
{
    /// <summary>What reports call this victim.</summary>
    public const string Description = "synthetic stand-in (procedural cats vs dogs, not a real photo classifier)";

    private static readonly ConcurrentDictionary<string, object> Gates = new(StringComparer.Ordinal);

    /// <summary>
    /// The cache folder when <c>GradDescent:Worker:CacheFolder</c> is not set: <c>~/.cache/graddescent</c>.
    /// </summary>
    public static string DefaultCacheFolder() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "graddescent");

    public static string CachePath(SyntheticVictimRecipe recipe, string cacheFolder) =>
        Path.Combine(Path.GetFullPath(cacheFolder), $"adversarial-victim-{recipe.Key}.victim");

    /// <summary>Returns the cached victim's path, training and caching it first when it is missing.</summary>
    public static string GetOrTrain(SyntheticVictimRecipe recipe, string cacheFolder, CancellationToken cancellationToken, ILogger? logger = null)
    {
        var path = CachePath(recipe, cacheFolder);
        if (File.Exists(path))
        {
            return path;
        }

        lock (Gates.GetOrAdd(path, _ => new object()))
        {
            if (File.Exists(path))
            {
                return path;
            }

            if (logger is not null)
            {
                LogTraining(logger, recipe.Images, recipe.Epochs, new VictimArchitecture(recipe.ImageSize, recipe.BaseWidth).ToString(), path);
            }

            var images = SyntheticPets.Dataset(recipe.Images, recipe.ImageSize, recipe.Seed);
            var result = TrainOnAllCores(images, recipe, cancellationToken, logger);
            using var model = result.Model;
            model.Save(path);
            if (logger is not null)
            {
                LogTrained(logger, path, result.Elapsed.TotalSeconds, result.TrainAccuracy, result.ValidationAccuracy ?? double.NaN);
            }

            return path;
        }
    }

    /// <summary>
    /// Trains with libtorch's intra-op threads raised to every core for the duration (the worker runs
    /// trials on one thread each by default), then restores the previous count. The thread count is
    /// process-wide, so trials running in the same process meanwhile also use more threads; training
    /// happens once per recipe and cache folder.
    /// </summary>
    private static VictimTrainingResult TrainOnAllCores(
        IReadOnlyList<(Images.RgbImage Image, PetClass Label)> images, SyntheticVictimRecipe recipe, CancellationToken cancellationToken, ILogger? logger)
    {
        var previous = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(Math.Max(previous, Environment.ProcessorCount));
        try
        {
            return VictimTrainer.Train(images, recipe.TrainingOptions, Description, cancellationToken, logger);
        }
        finally
        {
            TorchSharp.torch.set_num_threads(previous);
        }
    }

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information,
        Message = "Training the synthetic stand-in victim ({Images} generated images, {Epochs} epochs, {Architecture}) before the first adversarial trial; an estimate of its duration and progress follow. It is cached at {Path} for later runs")]
    private static partial void LogTraining(ILogger logger, int images, int epochs, string architecture, string path);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Information, Message = "Synthetic victim cached at {Path} after {Seconds:F1} s: train accuracy {TrainAccuracy:P1}, validation accuracy {ValidationAccuracy:P1}")]
    private static partial void LogTrained(ILogger logger, string path, double seconds, double trainAccuracy, double validationAccuracy);
}
