using System.Reflection;
using System.Text.RegularExpressions;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Storage;
using GradDescent.Storage;
using GradDescent.Sweeps;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Cli;

/// <summary>Turns a command's exception into its exit code and one message for stderr.</summary>
public static partial class CliErrors
{
    public static (int ExitCode, string Message) Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OptionsValidationException invalid => (ExitCodes.BadInput, string.Join("\n", invalid.Failures.Select(f => $"error: {Setting(invalid.OptionsType, f)}"))),
            _ when IsBadConfigurationValue(exception) => (ExitCodes.BadInput, $"error: {SettingName(exception.Message)}"),
            _ when IsBadInput(exception) => (ExitCodes.BadInput, $"error: {exception.Message}"),
            AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
            StoreUnavailableException unavailable => (ExitCodes.Failure, StoreUnavailable(unavailable)),
            ClusterUnavailableException unreachable => (ExitCodes.Failure, $"error: {unreachable.Message}"),
            _ => (ExitCodes.Failure, $"error: {exception.GetType().Name}: {exception.Message}"),
        };
    }

    /// <summary>The store's own message says how long it retried and the last error; the hint names the settings.</summary>
    private static string StoreUnavailable(StoreUnavailableException exception) =>
        $"error: {exception.Message.Split('\n', 2)[0]}\n"
        + $"(is the database running and reachable? {Key($"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ConnectionString)}")} names it; "
        + $"{Key($"{DatabaseOptions.Section}:{nameof(DatabaseOptions.TransientRetryBudget)}")} sets how long writes wait for it)";

    private static bool IsBadInput(Exception exception) =>
        exception is UsageException or ParameterException or SweepSpecException
        || (exception is AggregateException aggregate && aggregate.InnerExceptions.All(e => IsBadInput(e) || e is OptionsValidationException));

    /// <summary>The configuration binder's "Failed to convert configuration value at 'A:B' to type 'T'".</summary>
    private static bool IsBadConfigurationValue(Exception exception) =>
        exception is InvalidOperationException && exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal);

    /// <summary>
    /// One validation failure, naming the environment variable and flag: a failure of ours starts with the
    /// key (<c>GradDescent:Cluster:AdvertisedAddress: ...</c>); a data-annotation failure names the member.
    /// </summary>
    private static string Setting(Type optionsType, string failure)
    {
        var annotation = DataAnnotationFailure().Match(failure);
        if (annotation.Success && optionsType.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is string section)
        {
            return $"{Key($"{section}:{annotation.Groups["member"].Value}")}: {annotation.Groups["error"].Value}";
        }

        var keyed = KeyedFailure().Match(failure);
        return keyed.Success ? $"{Key(keyed.Groups["key"].Value)}: {keyed.Groups["error"].Value}" : failure;
    }

    private static string SettingName(string binderMessage)
    {
        var match = BinderFailure().Match(binderMessage);
        return match.Success
            ? $"{Key(match.Groups["key"].Value)}: '{match.Groups["value"].Value}' is not a valid {match.Groups["type"].Value.Split('.')[^1]}"
            : binderMessage;
    }

    /// <summary><c>GradDescent:Worker:Slots</c> → <c>GradDescent__Worker__Slots (--slots)</c>.</summary>
    private static string Key(string key)
    {
        var flag = CliOptions.ConfigurationKeys.FirstOrDefault(k => string.Equals(k.Value, key, StringComparison.OrdinalIgnoreCase)).Key;
        var variable = key.Replace(":", "__", StringComparison.Ordinal);
        return flag is null ? variable : $"{variable} ({flag})";
    }

    [GeneratedRegex("members: '(?<member>[^']+)' with the error: '(?<error>.*)'\\.?$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    [GeneratedRegex("^(?<key>GradDescent(:[A-Za-z0-9]+)+): (?<error>.*)$", RegexOptions.Singleline)]
    private static partial Regex KeyedFailure();

    [GeneratedRegex("value (?:'(?<value>[^']*)' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BinderFailure();
}
