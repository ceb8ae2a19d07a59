using GradDescent.Abstractions.Experiments;

namespace GradDescent.Sweeps;

/// <summary>Wording shared by the sections that name parameters.</summary>
internal static class ParameterProblems
{
    public static string Unknown(ExperimentDefinition experiment) =>
        $"unknown parameter for experiment '{experiment.Name}' (known: {string.Join(", ", experiment.Parameters.Select(p => p.Name))})";
}
