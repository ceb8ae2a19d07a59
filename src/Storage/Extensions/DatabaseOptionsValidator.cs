using Microsoft.Extensions.Options;

namespace GradDescent.Storage.Extensions;

/// <summary>Rejects a connection string that names neither SQLite nor PostgreSQL, naming the setting.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        try
        {
            ResultStoreFactory.DetectProvider(options.ConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ConnectionString)}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}
