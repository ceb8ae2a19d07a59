using System.Net;
using Microsoft.Extensions.Options;

namespace GradDescent.Hosting.Telemetry;

/// <summary>The listen address must be an IP address or <c>localhost</c>.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options) =>
        options.Host is "localhost" || IPAddress.TryParse(options.Host, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Host)}: '{options.Host}' is neither an IP address nor localhost");
}
