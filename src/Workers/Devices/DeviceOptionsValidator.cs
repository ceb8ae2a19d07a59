using System.Globalization;
using GradDescent.Workers.Runtime;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace GradDescent.Workers.Devices;

/// <summary>
/// Refuses, when the host starts, a device this machine cannot give: an unknown name, <c>cuda</c> without CUDA, or
/// <c>cuda:N</c> beyond its devices.
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
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message.Split(" (Parameter", 2)[0]);
        }

        if (device.StartsWith("cuda:", StringComparison.Ordinal))
        {
            var count = torch.cuda.device_count();
            if (!int.TryParse(device.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= count)
            {
                return Fail($"device '{options.Device}' was requested but this machine has {count} CUDA device(s) (cuda:0 to cuda:{count - 1})");
            }
        }

        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult Fail(string reason) =>
        ValidateOptionsResult.Fail($"{WorkerOptions.Section}:{nameof(WorkerOptions.Device)}: {reason}");
}
