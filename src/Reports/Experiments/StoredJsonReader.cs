using System.Globalization;
using System.Text.Json;

namespace GradDescent.Reports.Experiments;

/// <summary>Reads the stored JSON documents of a trial: parameters (name → text) and metrics (name → number, or "NaN").</summary>
public static class StoredJsonReader
{
    public static string? Parameter(string parametersJson, string name)
    {
        using var document = JsonDocument.Parse(parametersJson);
        return document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    public static double? Metric(string metricsJson, string name)
    {
        using var document = JsonDocument.Parse(metricsJson);
        if (!document.RootElement.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}
