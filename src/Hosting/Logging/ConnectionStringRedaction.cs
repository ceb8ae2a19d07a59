using System.Data.Common;
using System.Text.RegularExpressions;

namespace GradDescent.Hosting.Logging;

/// <summary>
/// A connection string fit to print or log: the values of its secret keys (Password, Pwd, SSL Password, tokens,
/// account keys...) replaced by <see cref="Mask"/>; everything else as given. Use it wherever a connection string
/// reaches a terminal, a log line or a file.
/// </summary>
public static partial class ConnectionStringRedaction
{
    public const string Mask = "***";

    public static string Redact(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        DbConnectionStringBuilder parsed;
        try
        {
            parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (ArgumentException)
        {
            // Not well-formed (or a bare SQLite path): mask whatever follows a secret-looking key.
            return SecretAssignment().Replace(connectionString, m => $"{m.Groups["key"].Value}={Mask}");
        }

        var secrets = parsed.Keys.Cast<string>().Where(IsSecret).ToList();
        if (secrets.Count == 0)
        {
            return connectionString;
        }

        foreach (var key in secrets)
        {
            parsed[key] = Mask;
        }

        return parsed.ConnectionString;
    }

    private static bool IsSecret(string key)
    {
        var name = key.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return name is "pwd" || name.Contains("password", StringComparison.Ordinal) || name.Contains("secret", StringComparison.Ordinal)
            || name.Contains("token", StringComparison.Ordinal) || name.Contains("accountkey", StringComparison.Ordinal)
            || name.Contains("accesskey", StringComparison.Ordinal);
    }

    [GeneratedRegex("""(?<key>[A-Za-z ]*(?:password|pwd|secret|token|accountkey|accesskey)[A-Za-z ]*)\s*=\s*(?:"[^"]*"|'[^']*'|[^;]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignment();
}
