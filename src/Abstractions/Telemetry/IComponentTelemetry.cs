namespace GradDescent.Abstractions.Telemetry;

/// <summary>
/// A component's instruments (its <c>*Telemetry</c> class). Hosts create every registered one when they
/// start, so each series is exported from the first scrape, before the component's first use.
/// </summary>
public interface IComponentTelemetry;
