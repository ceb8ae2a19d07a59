using Microsoft.Extensions.Logging;
using TorchSharp;

namespace GradDescent.Workers.Devices;

/// <summary>Chooses the torch device: CUDA when available, else CPU, overridable.</summary>
public static partial class TorchDevices
{
    public const string Auto = "auto";

    /// <param name="requested"><c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</param>
    /// <param name="logger">Receives one line when CUDA was wanted but the CPU is used.</param>
    /// <exception cref="ArgumentException">An unknown device name, or CUDA asked for explicitly but absent.</exception>
    public static torch.Device Resolve(string? requested, ILogger? logger = null)
    {
        var name = string.IsNullOrWhiteSpace(requested) ? Auto : requested.Trim().ToLowerInvariant();
        if (name == Auto)
        {
            if (torch.cuda.is_available())
            {
                return torch.CUDA;
            }

            if (logger is not null)
            {
                LogCpuFallback(logger);
            }

            return torch.CPU;
        }

        if (name == "cpu")
        {
            return torch.CPU;
        }

        if (name == "cuda" || name.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
            {
                throw new ArgumentException($"device '{requested}' was requested but CUDA is not available on this machine", nameof(requested));
            }

            return new torch.Device(name);
        }

        throw new ArgumentException($"unknown device '{requested}' (use auto, cpu, cuda or cuda:N)", nameof(requested));
    }

    /// <summary>The device as results record it: <c>cpu</c> or <c>cuda:N</c>.</summary>
    public static string Describe(torch.Device device) =>
        device.type == DeviceType.CUDA ? $"cuda:{Math.Max(device.index, 0)}" : "cpu";

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "CUDA is not available; running trials on the CPU.")]
    private static partial void LogCpuFallback(ILogger logger);
}
