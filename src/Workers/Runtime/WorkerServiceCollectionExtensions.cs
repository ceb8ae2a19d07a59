using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.Adversarial;
using GradDescent.Workers.Experiments.LinearRegression;
using GradDescent.Workers.Experiments.VectorSpread;
using Microsoft.Extensions.DependencyInjection;

namespace GradDescent.Workers.Runtime;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>The three experiments, their registry and the executor that runs fused batches of them.</summary>
    public static IServiceCollection AddExperiments(this IServiceCollection services)
    {
        services.AddSingleton<IExperiment, LinearRegressionExperiment>();
        services.AddSingleton<IExperiment, VectorSpreadExperiment>();
        services.AddSingleton<IExperiment, AdversarialExperiment>();
        services.AddSingleton<ExperimentRegistry>();
        services.AddSingleton<TrialExecutor>();
        return services;
    }
}
