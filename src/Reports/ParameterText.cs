using System.Text.Json;

namespace GradDescent.Reports;

/// <summary>Reads a configuration's parameters JSON (name → canonical text), as the report views return it.</summary>
public static class ParameterText
{
    public static IReadOnlyDictionary<string, string> Read(string parametersJson) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(parametersJson) ?? [];
}
