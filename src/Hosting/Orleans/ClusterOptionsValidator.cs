using System.Net;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Hosting.Orleans;

/// <summary>
/// Cluster mode needs PostgreSQL for the membership table and an IP address to advertise; each failure
/// names the setting to change.
/// </summary>
internal sealed class ClusterOptionsValidator(IOptions<DatabaseOptions> database) : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress) && !IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"{ClusterOptions.Section}:{nameof(ClusterOptions.AdvertisedAddress)}: '{options.AdvertisedAddress}' is not an IP address");
        }

        var connection = options.ResolveClusteringConnectionString(database.Value);
        var postgres = false;
        try
        {
            postgres = ResultStoreFactory.DetectProvider(connection) == StorageProvider.PostgreSql;
        }
        catch (ArgumentException)
        {
            // Named by the database options' own validation, or below.
        }

        if (!postgres)
        {
            failures.Add(
                $"{ClusterOptions.Section}:{nameof(ClusterOptions.ClusteringConnectionString)}: cluster mode keeps its membership table in PostgreSQL: "
                + "set GradDescent__Database__ConnectionString (or GradDescent__Cluster__ClusteringConnectionString) to a PostgreSQL connection string");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
