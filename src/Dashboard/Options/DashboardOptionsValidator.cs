using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Options;

/// <summary>Every entry of <see cref="DashboardOptions.Urls"/> must be an http or https address Kestrel can bind.</summary>
internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var key = $"{DashboardOptions.Section}:{nameof(DashboardOptions.Urls)}";
        if (options.Addresses().Length == 0)
        {
            return ValidateOptionsResult.Fail($"{key}: no address given (expected e.g. {DashboardOptions.DefaultUrls})");
        }

        foreach (var url in options.Addresses())
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                return ValidateOptionsResult.Fail($"{key}: '{url}' is not an address like {DashboardOptions.DefaultUrls}");
            }

            if (address.Scheme is not ("http" or "https") || string.IsNullOrEmpty(address.Host))
            {
                return ValidateOptionsResult.Fail($"{key}: '{url}' is not an http or https address like {DashboardOptions.DefaultUrls}");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
