namespace GradDescent.Storage.Reports;

/// <summary>One trial's parameters (JSON object of canonical texts), final metrics (JSON) and detail document.</summary>
public sealed record StoredTrial(long TrialIndex, string ParametersJson, string MetricsJson, string? DetailJson);
