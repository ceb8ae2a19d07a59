using System.Collections.Concurrent;
using GradDescent.Abstractions.Files;
using GradDescent.Workers.Devices;
using TorchSharp;

namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// Loaded victims kept in memory, keyed by resolved path, last-write time, size and device, so the many
/// trials of a sweep share one model and a rewritten file is reloaded. Cached models are in eval
/// mode with gradients off for their parameters (attacks differentiate with respect to the image
/// only), so concurrent trials can share them.
/// </summary>
public sealed class VictimCache
{
    private readonly ConcurrentDictionary<string, Lazy<VictimModel>> models = new(StringComparer.Ordinal);

    public static VictimCache Shared { get; } = new();

    /// <summary>
    /// A victim file of this build's own (the synthetic stand-in's cache), not one a parameter names: those go through
    /// the <see cref="FileGate"/> overload.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a victim this build can read.</exception>
    public VictimModel Get(string path, torch.Device device)
    {
        var file = new FileInfo(Path.GetFullPath(path));
        if (!file.Exists)
        {
            throw new FileNotFoundException($"model file '{file.FullName}' does not exist", file.FullName);
        }

        return GetOrLoad($"{file.FullName}@{file.LastWriteTimeUtc.Ticks}:{file.Length}|{TorchDevices.Describe(device)}", () => VictimModel.Load(file.FullName, device));
    }

    /// <summary>The victim in <paramref name="file"/>, read through <paramref name="files"/> on first use.</summary>
    /// <exception cref="Abstractions.Parameters.ParameterException">The file cannot be read through the gate.</exception>
    /// <exception cref="InvalidDataException">The file is not a victim this build can read.</exception>
    public VictimModel Get(ConfinedFile file, FileGate files, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(files);
        return GetOrLoad($"{file.Identity}|{TorchDevices.Describe(device)}", () =>
        {
            using var content = new MemoryStream(files.ReadAllBytes(file), writable: false);
            return VictimModel.Load(content, file.RequestedPath, device);
        });
    }

    private VictimModel GetOrLoad(string key, Func<VictimModel> load)
    {
        var entry = models.GetOrAdd(key, _ => new Lazy<VictimModel>(() => Frozen(load())));
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

    private static VictimModel Frozen(VictimModel model)
    {
        foreach (var parameter in model.Network.parameters())
        {
            parameter.requires_grad = false;
        }

        model.Network.eval();
        return model;
    }
}
