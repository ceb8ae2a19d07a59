using System.Text.RegularExpressions;

namespace GradDescent.Hosting.Logging;

/// <summary>
/// A connection string fit to print or log: the values of its secret keys (Password, Pwd, SSL Password, tokens,
/// account keys...) replaced by <see cref="Mask"/>; everything else exactly as given. Use it wherever a connection
/// string reaches a terminal, a log line or a file.
/// </summary>
public static partial class ConnectionStringRedaction
{
    public const string Mask = "***";

    public static string Redact(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return Assignment().Replace(connectionString, m => IsSecret(m.Groups["key"].Value) ? $"{m.Groups["key"].Value}={Mask}" : m.Value);
    }

    private static bool IsSecret(string key)
    {
        var name = key.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return name is "pwd" || name.Contains("password", StringComparison.Ordinal) || name.Contains("secret", StringComparison.Ordinal)
            || name.Contains("token", StringComparison.Ordinal) || name.Contains("accountkey", StringComparison.Ordinal)
            || name.Contains("accesskey", StringComparison.Ordinal);
    }

    /// <summary>One <c>key=value</c> of a connection string; a value may be quoted with " or ' (doubled inside), or run to the next ';'.</summary>
    [GeneratedRegex("""(?<key>[^=;]+)=(?<value>\s*"(?:[^"]|"")*"|\s*'(?:[^']|'')*'|[^;]*)""")]
    private static partial Regex Assignment();
}
