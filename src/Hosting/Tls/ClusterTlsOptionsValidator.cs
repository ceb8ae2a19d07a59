using Microsoft.Extensions.Options;

namespace GradDescent.Hosting.Tls;

/// <summary>
/// Refuses, at start and naming the setting: <c>off</c> on a silo that listens beyond loopback; TLS without its three
/// files; files that do not load or a certificate the CA did not issue.
/// </summary>
internal sealed class ClusterTlsOptionsValidator(ClusterTlsScope scope, TimeProvider time) : IValidateOptions<ClusterTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterTlsOptions options)
    {
        var exposure = scope.Exposure;
        if (options.Mode == ClusterTlsMode.Off)
        {
            return exposure is null
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"{ClusterTlsOptions.Key(nameof(ClusterTlsOptions.Mode))}: 'off' is allowed only on a silo that listens on loopback, and {exposure}; "
                    + "give the cluster certificates (graddescent certs create DIR, then GradDescent__Cluster__Tls__CertificatePath, KeyPath and CaPath) and remove the setting");
        }

        if (!scope.IsEnabled(options))
        {
            return ValidateOptionsResult.Success;
        }

        var because = options.Mode == ClusterTlsMode.Required
            ? "GradDescent__Cluster__Tls__Mode is 'required'"
            : exposure ?? "another GradDescent__Cluster__Tls__ path is set";
        (string Member, string File, string? Value)[] paths =
        [
            (nameof(ClusterTlsOptions.CertificatePath), "tls.crt", options.CertificatePath),
            (nameof(ClusterTlsOptions.KeyPath), "tls.key", options.KeyPath),
            (nameof(ClusterTlsOptions.CaPath), "ca.crt", options.CaPath),
        ];
        var missing = paths
            .Where(p => string.IsNullOrWhiteSpace(p.Value))
            .Select(p => $"{ClusterTlsOptions.Key(p.Member)}: required because {because} (the path of {p.File}; graddescent certs create DIR writes one)")
            .ToList();
        if (missing.Count > 0)
        {
            return ValidateOptionsResult.Fail(missing);
        }

        try
        {
            ClusterCertificates.Load(options, scope.Serves, time.GetUtcNow()).Dispose();
            return ValidateOptionsResult.Success;
        }
        catch (ClusterTlsException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
