using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using GradDescent.Silo.Cli;
using GradDescent.Workers.Devices;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent train-victim FOLDER --out MODEL</c>: trains the article's dog-vs-cat network on a
/// folder of labelled images (Kaggle <c>cat.1.jpg</c>/<c>dog.2.jpg</c> names, or <c>cat/</c> and
/// <c>dog/</c> subfolders) and saves it for <c>trial adversarial model=MODEL</c>.
/// </summary>
public sealed class TrainVictimCommand(ILogger<TrainVictimCommand> logger, TrainVictimCommand.Input input) : ICommandHandler
{
    public sealed record Input(string Folder, string Output, VictimTrainingOptions Training, bool Json);

    public static Command Create()
    {
        var defaults = new VictimTrainingOptions();
        var folder = new Argument<string>("image-folder") { Description = "Labelled images: Kaggle cat.1.jpg/dog.2.jpg names, or cat/ and dog/ subfolders." };
        var output = new Option<string>("--out") { Description = "Model file to write.", HelpName = "MODEL", Required = true };
        var epochs = CliOptions.Bounded("--epochs", $"Training epochs (default {defaults.Epochs}).", 1, 10_000);
        var batchSize = CliOptions.Bounded("--batch-size", $"Images per step (default {defaults.BatchSize}).", 1, 65_536);
        var learningRate = new Option<double?>("--learning-rate") { Description = $"Adam step size (default {defaults.LearningRate.ToString(CultureInfo.InvariantCulture)}).", HelpName = "X" };
        learningRate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && !(value > 0 && double.IsFinite(value)))
            {
                result.AddError($"option --learning-rate: expected a positive number, got {value.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        var imageSize = CliOptions.Bounded("--image-size", $"Side of the square input in pixels (default {defaults.ImageSize}).", 16, 4096);
        var width = CliOptions.Bounded("--width", $"Channels of the first convolution (default {defaults.BaseWidth}).", 1, 4096);
        var maxPerClass = CliOptions.Bounded("--max-per-class", "Use at most this many images of each class (default: all).", 1, int.MaxValue);
        var seed = CliOptions.Bounded("--seed", $"Random seed (default {defaults.Seed}).", 0, int.MaxValue);
        var json = CliOptions.Json("Print the training summary as JSON.");
        var command = new Command("train-victim", "Train the article's dog-vs-cat network on labelled images, for adversarial trials.")
        {
            folder, output, epochs, batchSize, learningRate, imageSize, width, maxPerClass, seed, json,
        };
        command.SetAction((parse, ct) =>
        {
            var training = new VictimTrainingOptions
            {
                Epochs = parse.GetValue(epochs) ?? defaults.Epochs,
                BatchSize = parse.GetValue(batchSize) ?? defaults.BatchSize,
                LearningRate = parse.GetValue(learningRate) ?? defaults.LearningRate,
                ImageSize = parse.GetValue(imageSize) ?? defaults.ImageSize,
                BaseWidth = parse.GetValue(width) ?? defaults.BaseWidth,
                MaxImagesPerClass = parse.GetValue(maxPerClass),
                Seed = parse.GetValue(seed) ?? defaults.Seed,
            };
            var input = new Input(parse.GetRequiredValue(folder), parse.GetRequiredValue(output), training, parse.GetValue(json));
            return CliHost.RunAsync<TrainVictimCommand>(parse, builder => builder.Services.AddSingleton(input), ct, LogLevel.Information);
        });
        return command;
    }

    public Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var output = input.Output;
        if (!Directory.Exists(input.Folder))
        {
            throw new UsageException($"{input.Folder}: no such image folder");
        }

        TorchRuntime.Configure(torchThreads: 0);
        VictimTrainingResult result;
        try
        {
            result = VictimTrainer.Train(input.Folder, input.Training, cancellationToken, logger);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException)
        {
            throw new UsageException(ex.Message);
        }

        using (result.Model)
        {
            result.Model.Save(output);
        }

        if (input.Json)
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
}
