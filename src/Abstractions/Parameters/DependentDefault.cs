namespace GradDescent.Abstractions.Parameters;

/// <summary>
/// A default that depends on the bound value of another parameter (its controller), e.g. a learning
/// rate whose default differs per objective. When the controller's value is a key of
/// <see cref="Values"/>, that entry is the default (null: no default, the parameter stays absent);
/// otherwise the parameter's own <see cref="ParameterDefinition.Default"/> applies. The controller's
/// value is the one given or its own (plain) default, so a controller cannot itself depend on another.
/// </summary>
/// <param name="Controller">Name of the parameter whose value selects the default.</param>
/// <param name="Values">Controller value → canonical default text (or null for none).</param>
public sealed record DependentDefault(string Controller, IReadOnlyDictionary<string, string?> Values);
