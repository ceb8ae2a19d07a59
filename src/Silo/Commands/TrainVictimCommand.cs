using System.Globalization;
using System.Text.Json.Nodes;
using GradDescent.Silo.Cli;
using GradDescent.Workers.Devices;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent train-victim FOLDER --out MODEL</c>: trains the article's dog-vs-cat network on a
/// folder of labelled images (Kaggle <c>cat.1.jpg</c>/<c>dog.2.jpg</c> names, or <c>cat/</c> and
/// <c>dog/</c> subfolders) and saves it for <c>trial adversarial model=MODEL</c>.
/// </summary>
public sealed class TrainVictimCommand : ICommand
{
    public string Name => "train-victim";

    public string Summary => "Train the article's dog-vs-cat network on labelled images, for adversarial trials.";

    public string Usage => "train-victim <image-folder> --out <model-file> [--epochs N] [--batch-size N] [--learning-rate X] [--image-size N] [--width N] [--max-per-class N] [--seed N] [--json]";

    public IReadOnlySet<string> Switches { get; } = new HashSet<string> { "json" };

    public IReadOnlySet<string> Options { get; } =
        new HashSet<string> { "out", "epochs", "batch-size", "learning-rate", "image-size", "width", "max-per-class", "seed" };

    public Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(1);
        var folder = arguments.Positional(0, "image-folder");
        var output = arguments.Option("out") ?? throw new UsageException("option --out <model-file> is required");
        if (!Directory.Exists(folder))
        {
            throw new UsageException($"{folder}: no such image folder");
        }

        var defaults = new VictimTrainingOptions();
        var options = new VictimTrainingOptions
        {
            Epochs = arguments.IntOption("epochs", 1, 10_000) ?? defaults.Epochs,
            BatchSize = arguments.IntOption("batch-size", 1, 65_536) ?? defaults.BatchSize,
            LearningRate = LearningRate(arguments) ?? defaults.LearningRate,
            ImageSize = arguments.IntOption("image-size", 16, 4096) ?? defaults.ImageSize,
            BaseWidth = arguments.IntOption("width", 1, 4096) ?? defaults.BaseWidth,
            MaxImagesPerClass = arguments.IntOption("max-per-class", 1, int.MaxValue),
            Seed = arguments.IntOption("seed", 0, int.MaxValue) ?? defaults.Seed,
        };

        TorchRuntime.Configure(torchThreads: 0);
        using var loggers = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Information));
        VictimTrainingResult result;
        try
        {
            result = VictimTrainer.Train(folder, options, cancellationToken, loggers.CreateLogger("GradDescent.TrainVictim"));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException)
        {
            throw new UsageException(ex.Message);
        }

        using (result.Model)
        {
            result.Model.Save(output);
        }

        if (arguments.Has("json"))
        {
            Console.Out.WriteLine(new JsonObject
            {
                ["model"] = Path.GetFullPath(output),
                ["train_images"] = result.TrainImages,
                ["validation_images"] = result.ValidationImages,
                ["train_accuracy"] = result.TrainAccuracy,
                ["validation_accuracy"] = result.ValidationAccuracy,
                ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 2),
            }.ToJsonString());
        }
        else
        {
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"saved {Path.GetFullPath(output)}: {result.TrainImages} training images, accuracy {result.TrainAccuracy:P1}, validation {(result.ValidationAccuracy is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "-")} ({result.ValidationImages} held out), {result.Elapsed.TotalSeconds:F1} s"));
            Console.Out.WriteLine($"attack it: graddescent trial adversarial model={output} image=<photo.jpg> out=<folder>");
        }

        return Task.FromResult(ExitCodes.Success);
    }

    private static double? LearningRate(CommandArguments arguments)
    {
        if (arguments.Option("learning-rate") is not { } text)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new UsageException($"option --learning-rate: expected a positive number, got '{text}'");
    }
}
