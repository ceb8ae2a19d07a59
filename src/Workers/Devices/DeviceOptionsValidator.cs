using GradDescent.Workers.Runtime;
using Microsoft.Extensions.Options;

namespace GradDescent.Workers.Devices;

/// <summary>
/// Refuses, when the host starts, a device this machine cannot give: an unknown name, or <c>cuda</c> without CUDA.
/// That is bad input (exit code 2 naming <c>GradDescent__Worker__Device</c>), found before any trial is leased, rather
/// than a worker that dies after start while its sweep waits forever.
/// </summary>
internal sealed class DeviceOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var device = options.Device?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(device) || device is TorchDevices.Auto or "cpu")
        {
            // Always available; no need to load libtorch to say so.
            return ValidateOptionsResult.Success;
        }

        try
        {
            TorchDevices.Resolve(device);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{WorkerOptions.Section}:{nameof(WorkerOptions.Device)}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}
