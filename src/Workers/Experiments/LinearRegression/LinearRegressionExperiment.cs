using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// Article Example 1: weight = slope*height + intercept fitted by gradient descent on the mean
/// squared error (float32), the exact least-squares answer reported beside every result. Trials
/// that share data, optimizer and iteration count run fused as one [B, 2] tensor program; the
/// trial seed is not used (the run is deterministic). The data goes with the results as the artefact
/// <c>data.csv</c>: its content with the group's first trial, a reference by hash with the others.
/// </summary>
/// <param name="files">Where the <c>data</c> file may come from; null: <see cref="FileGate.Closed"/> (no data files).</param>
public sealed class LinearRegressionExperiment(FileGate? files = null) : IExperiment
{
    private readonly HeightWeightDataSource data = new(files ?? FileGate.Closed);

    public ExperimentDefinition Definition => LinearRegressionDefinition.Instance;

    /// <exception cref="ParameterException">The data file may not be read, is missing or is malformed (names file and line).</exception>
    public void Validate(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        data.Load(parameters);
        var optimizer = parameters.GetText("optimizer");
        if (!OptimizerCatalog.Names.Contains(optimizer, StringComparer.Ordinal))
        {
            throw new ParameterException("optimizer", $"'{optimizer}' is not one of {string.Join(", ", OptimizerCatalog.Names)}");
        }

        if (parameters.GetInt("iterations") < 1)
        {
            throw new ParameterException("iterations", "must be at least 1");
        }
    }

    /// <summary>Data identity (path and last-write time, or the synthetic tag), optimizer and iterations.</summary>
    public string FusionKey(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var identity = data.IdentityOf(parameters.GetTextOrNull(HeightWeightCsv.Parameter));
        return $"{LinearRegressionDefinition.Name}|data={identity}|optimizer={parameters.GetText("optimizer")}|iterations={parameters.GetInt("iterations")}";
    }

    public IReadOnlyList<TrialOutcome> RunFused(IReadOnlyList<TrialInput> trials, Device device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(device);
        if (trials.Count == 0)
        {
            return [];
        }

        var first = trials[0].Parameters;
        var key = FusionKey(first);
        for (var i = 1; i < trials.Count; i++)
        {
            // Equal texts of the key's parameters give equal keys; only a trial that differs pays for its key.
            var other = trials[i].Parameters;
            if (!SameKeyTexts(first, other) && FusionKey(other) != key)
            {
                throw new ArgumentException($"trial {i} has fusion key '{FusionKey(other)}', not the group's '{key}'", nameof(trials));
            }
        }

        var stopping = TrialInputs.SharedStoppingPlan(trials, Definition);
        var points = data.Load(first, cancellationToken);
        var optimizerName = first.GetText("optimizer");
        var iterations = first.GetInt("iterations");
        var parameterSets = trials.Select(t => t.Parameters).ToList();

        LinearRegressionTrajectories run;
        using (var scope = torch.NewDisposeScope())
        {
            using var problem = new LinearRegressionProblem(points, device);
            using var optimizer = BatchedOptimizerFactory.Create(optimizerName, parameterSets, device);
            var start = StartingPoints(parameterSets, points.Exact, device);
            var gradientScale = GradientScales(parameterSets, device);
            run = LinearRegressionBatch.Run(problem, optimizer, start, gradientScale, iterations, stopping, cancellationToken);
        }

        var learningRates = parameterSets.ConvertAll(p => p.GetDoubleOrNull("learning_rate") ?? BatchedOptimizerFactory.DefaultLearningRate);
        var outcomes = LinearRegressionOutcomes.Build(run, points, optimizerName, learningRates);
        for (var b = 0; b < outcomes.Length; b++)
        {
            // The data is stored once per sweep and hash; the other trials of the group refer to it.
            outcomes[b] = outcomes[b] with { Artifacts = [b == 0 ? points.Artifact : points.Artifact.AsReference()] };
        }

        return outcomes;
    }

    private static bool SameKeyTexts(ParameterSet a, ParameterSet b) =>
        a.GetTextOrNull(HeightWeightCsv.Parameter) == b.GetTextOrNull(HeightWeightCsv.Parameter)
        && a.GetText("optimizer") == b.GetText("optimizer")
        && a.GetText("iterations") == b.GetText("iterations");

    /// <summary>[B, 2] (slope, intercept) per trial: the point named by <c>start</c>, with <c>init_*</c> overriding its parts.</summary>
    private static Tensor StartingPoints(List<ParameterSet> trials, LeastSquaresSolution exact, Device device)
    {
        var values = new float[trials.Count * 2];
        for (var b = 0; b < trials.Count; b++)
        {
            var (slope, intercept) = Start(trials[b].GetTextOrNull("start"), exact);
            values[2 * b] = (float)(trials[b].GetDoubleOrNull("init_slope") ?? slope);
            values[(2 * b) + 1] = (float)(trials[b].GetDoubleOrNull("init_intercept") ?? intercept);
        }

        return torch.tensor(values, [trials.Count, 2], device: device);
    }

    /// <summary>The starting point a <c>start</c> value names (absent: the article's).</summary>
    public static (double Slope, double Intercept) Start(string? start, LeastSquaresSolution exact)
    {
        ArgumentNullException.ThrowIfNull(exact);
        return start switch
        {
            LinearRegressionDefinition.ExactStart => (exact.Slope, exact.Intercept),
            LinearRegressionDefinition.ZeroStart => (0, 0),
            _ => (exact.Slope, LinearRegressionDefinition.ArticleStartIntercept),
        };
    }

    /// <summary>[B, 2] factors on the gradient: 1 for the slope, intercept_grad_scale for the intercept.</summary>
    private static Tensor GradientScales(List<ParameterSet> trials, Device device)
    {
        var values = new float[trials.Count * 2];
        for (var b = 0; b < trials.Count; b++)
        {
            values[2 * b] = 1f;
            values[(2 * b) + 1] = (float)(trials[b].GetDoubleOrNull("intercept_grad_scale") ?? 1.0);
        }

        return torch.tensor(values, [trials.Count, 2], device: device);
    }
}
