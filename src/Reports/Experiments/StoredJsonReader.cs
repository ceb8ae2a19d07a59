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

    public static double? Metric(string metricsJson, string name) => Number(metricsJson, name);

    /// <summary>A number at the top level of a trial's detail document, or null (no document, no such number).</summary>
    public static double? Detail(string? detailJson, string name) => detailJson is null ? null : Number(detailJson, name);

    private static double? Number(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
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
