using System.Diagnostics;
using System.Runtime.ExceptionServices;
using GradDescent.Workers.Experiments.Adversarial.Images;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// Trains the article's network (or a reduced one) on labelled cat and dog images with Adam, as the
/// article's Keras model was. Deterministic for a seed on a given machine and thread count.
/// </summary>
public static partial class VictimTrainer
{
    /// <summary>Trains on a Kaggle-style or cat/ dog/ folder (see <see cref="LabelledImageFolder"/>).</summary>
    /// <exception cref="ArgumentException">The folder lacks images of a class.</exception>
    /// <exception cref="InvalidDataException">An image cannot be decoded; the message names the file.</exception>
    public static VictimTrainingResult Train(
        string folder, VictimTrainingOptions options, CancellationToken cancellationToken, ILogger? logger = null, TimeProvider? time = null)
    {
        options.Validate();
        var files = LabelledImageFolder.Scan(folder);
        if (options.MaxImagesPerClass is { } max)
        {
            files = files.GroupBy(f => f.Label).SelectMany(g => g.Take(max)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        }

        var images = new (RgbImage, PetClass)[files.Count];
        try
        {
            Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                images[i] = (ImageFiles.Load(files[i].Path, options.ImageSize), files[i].Label));
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<InvalidDataException>().FirstOrDefault() is { } unreadable)
        {
            ExceptionDispatchInfo.Throw(unreadable);
        }
        return Train(images, options, $"trained on {Path.GetFullPath(folder)}", cancellationToken, logger, time);
    }

    /// <summary>Trains on images already at <see cref="VictimTrainingOptions.ImageSize"/>.</summary>
    /// <param name="description">Where the images came from; the model's description starts with it.</param>
    /// <param name="logger">Receives the duration estimate, progress every 10 s and a line per epoch (<see cref="VictimTrainingProgress"/>).</param>
    /// <param name="time">The clock progress is measured with (default: the system's).</param>
    public static VictimTrainingResult Train(
        IReadOnlyList<(RgbImage Image, PetClass Label)> images,
        VictimTrainingOptions options,
        string description,
        CancellationToken cancellationToken,
        ILogger? logger = null,
        TimeProvider? time = null)
    {
        options.Validate();
        if (images.Any(i => i.Image.Width != options.ImageSize || i.Image.Height != options.ImageSize))
        {
            throw new ArgumentException($"every image must be {options.ImageSize}×{options.ImageSize}", nameof(images));
        }

        var random = new Random(options.Seed);
        var order = Enumerable.Range(0, images.Count).ToArray();
        random.Shuffle(order);
        var validationCount = (int)Math.Floor(images.Count * options.ValidationFraction);
        var trainIndices = order[validationCount..];
        var validationIndices = order[..validationCount];
        if (trainIndices.Length < 2)
        {
            throw new ArgumentException($"need at least 2 training images, got {trainIndices.Length}", nameof(images));
        }

        using var data = Stack(images);
        using var labels = tensor(images.Select(i => (long)i.Label).ToArray());
        var network = new VictimNetwork(new VictimArchitecture(options.ImageSize, options.BaseWidth), options.Seed);
        var batchesPerEpoch = ((trainIndices.Length - 2) / options.BatchSize) + 1;

        // After the last batch: one forward pass over the training images (BatchNorm recalibration)
        // and one over every image (accuracy); a forward pass costs about a third of a training step.
        var finishingBatches = (trainIndices.Length + images.Count) / (3.0 * options.BatchSize);
        var progress = new VictimTrainingProgress(logger, time ?? TimeProvider.System, options.Epochs, batchesPerEpoch, finishingBatches);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var optimizer = new VictimAdam(network.parameters(), options.LearningRate);
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                network.train();
                random.Shuffle(trainIndices);
                double lossSum = 0;
                var batches = 0;
                for (var start = 0; start + 2 <= trainIndices.Length; start += options.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    optimizer.ZeroGrad();
                    float lossValue;
                    using (NewDisposeScope())
                    {
                        var batch = tensor(trainIndices[start..Math.Min(start + options.BatchSize, trainIndices.Length)].Select(i => (long)i).ToArray());
                        var x = data.index_select(0, batch).to_type(ScalarType.Float32).div(ImageScalars.MaxLevel);
                        var loss = nn.functional.cross_entropy(network.call(x), labels.index_select(0, batch));
                        loss.backward();
                        lossValue = loss.item<float>();
                    }

                    if (!float.IsFinite(lossValue))
                    {
                        throw new InvalidOperationException(
                            $"victim training diverged (loss {lossValue}) in epoch {epoch}; lower the learning rate ({options.LearningRate})");
                    }

                    // VictimAdam, not TorchSharp's optim.Adam, whose implicit Scalars race the finalizer.
                    optimizer.Step();
                    lossSum += lossValue;
                    batches++;
                    progress.BatchCompleted(epoch, batches);
                }

                if (logger is not null)
                {
                    LogEpoch(logger, epoch, options.Epochs, lossSum / Math.Max(batches, 1));
                }
            }

            network.RecalibrateBatchNorm(Batches(data, trainIndices, options.BatchSize));
            var elapsed = Stopwatch.GetElapsedTime(started);
            var model = new VictimModel(network, $"{description} ({images.Count} images, {options.Epochs} epochs, {network.Architecture})");
            var trainAccuracy = Accuracy(model, data, labels, trainIndices);
            double? validationAccuracy = validationIndices.Length > 0 ? Accuracy(model, data, labels, validationIndices) : null;
            return new VictimTrainingResult(model, trainAccuracy, validationAccuracy, trainIndices.Length, validationIndices.Length, elapsed);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Share of the given images the model labels correctly (eval mode).</summary>
    public static double Accuracy(VictimModel model, Tensor data, Tensor labels, IReadOnlyList<int> indices)
    {
        long correct = 0;
        for (var start = 0; start < indices.Count; start += 64)
        {
            using var scope = NewDisposeScope();
            var batch = tensor(indices.Skip(start).Take(64).Select(i => (long)i).ToArray());
            var x = data.index_select(0, batch).to_type(ScalarType.Float32).div(ImageScalars.MaxLevel);
            var predicted = model.Probabilities(x).argmax(1);
            correct += predicted.eq(labels.index_select(0, batch)).sum().item<long>();
        }

        return indices.Count == 0 ? 0 : (double)correct / indices.Count;
    }

    private static IEnumerable<Tensor> Batches(Tensor data, int[] indices, int batchSize)
    {
        for (var start = 0; start + 2 <= indices.Length; start += batchSize)
        {
            using var batch = tensor(indices[start..Math.Min(start + batchSize, indices.Length)].Select(i => (long)i).ToArray());
            using var bytes = data.index_select(0, batch);
            using var levels = bytes.to_type(ScalarType.Float32);
            yield return levels.div(ImageScalars.MaxLevel);
        }
    }

    /// <summary>Stacks 8-bit images into a uint8 [N, 3, H, W] tensor.</summary>
    public static Tensor Stack(IReadOnlyList<(RgbImage Image, PetClass Label)> images)
    {
        using var scope = NewDisposeScope();
        var planes = images.Select(i => i.Image.ToLevels().to_type(ScalarType.Byte)).ToArray();
        return stack(planes).MoveToOuterDisposeScope();
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "Victim training epoch {Epoch}/{Epochs}: mean loss {Loss:F4}")]
    private static partial void LogEpoch(ILogger logger, int epoch, int epochs, double loss);
}
