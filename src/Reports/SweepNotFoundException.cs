namespace GradDescent.Reports;

/// <summary>A name given to the report matches no sweep id and no sweep-name prefix.</summary>
public sealed class SweepNotFoundException(string message) : Exception(message);
