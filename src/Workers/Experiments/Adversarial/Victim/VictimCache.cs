using System.Collections.Concurrent;
using GradDescent.Workers.Devices;
using TorchSharp;

namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// Loaded victims kept in memory, keyed by full path, last-write time, size and device, so the many
/// trials of a sweep share one model and a rewritten file is reloaded. Cached models are in eval
/// mode with gradients off for their parameters (attacks differentiate with respect to the image
/// only), so concurrent trials can share them.
/// </summary>
public sealed class VictimCache
{
    private readonly ConcurrentDictionary<string, Lazy<VictimModel>> models = new(StringComparer.Ordinal);

    public static VictimCache Shared { get; } = new();

    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a victim this build can read.</exception>
    public VictimModel Get(string path, torch.Device device)
    {
        var file = new FileInfo(Path.GetFullPath(path));
        if (!file.Exists)
        {
            throw new FileNotFoundException($"model file '{file.FullName}' does not exist", file.FullName);
        }

        var key = $"{file.FullName}|{file.LastWriteTimeUtc.Ticks}|{file.Length}|{TorchDevices.Describe(device)}";
        var entry = models.GetOrAdd(key, _ => new Lazy<VictimModel>(() => LoadFrozen(file.FullName, device)));
        try
        {
            return entry.Value;
        }
        catch
        {
            models.TryRemove(key, out _);
            throw;
        }
    }

    private static VictimModel LoadFrozen(string path, torch.Device device)
    {
        var model = VictimModel.Load(path, device);
        foreach (var parameter in model.Network.parameters())
        {
            parameter.requires_grad = false;
        }

        model.Network.eval();
        return model;
    }
}
