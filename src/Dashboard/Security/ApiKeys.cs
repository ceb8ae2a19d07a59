using System.Security.Cryptography;
using System.Text;
using GradDescent.Dashboard.Options;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Security;

/// <summary>
/// Checks presented keys against the configured ones: both sides are hashed (SHA-256) so every comparison is of
/// equal length and runs in constant time, and every configured key is compared, match or not.
/// </summary>
public sealed class ApiKeys(IOptionsMonitor<DashboardOptions> options)
{
    public bool Enabled => options.CurrentValue.StateChangesEnabled;

    /// <returns>A fingerprint of the matching key (first 16 hex digits of its hash), or null when none matches.</returns>
    public string? Match(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? match = null;
        foreach (var key in options.CurrentValue.ApiKeys)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                continue;
            }

            var candidate = SHA256.HashData(Encoding.UTF8.GetBytes(key));
            if (CryptographicOperations.FixedTimeEquals(hash, candidate))
            {
                match = Convert.ToHexStringLower(candidate)[..16];
            }
        }

        return match;
    }

    /// <summary>Whether a fingerprint handed out earlier still belongs to a configured key (keys can be revoked).</summary>
    public bool IsCurrent(string? fingerprint) =>
        fingerprint is { Length: 16 } && options.CurrentValue.ApiKeys.Any(
            key => !string.IsNullOrWhiteSpace(key)
                && CryptographicOperations.FixedTimeEquals(
                    Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]),
                    Encoding.ASCII.GetBytes(fingerprint)));
}
