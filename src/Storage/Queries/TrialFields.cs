using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Storage.Queries;

/// <summary>
/// The names a sweep's trials can be filtered and sorted by: the <c>trials</c> columns, the experiment's parameters
/// and the metrics its trials stored. A parameter or metric whose name a column already has is reached as
/// <c>params.NAME</c> / <c>metrics.NAME</c> (both prefixes work for every parameter and metric).
/// </summary>
public sealed class TrialFields
{
    public const string ParameterPrefix = "params.";
    public const string MetricPrefix = "metrics.";

    /// <summary>The status values a trial can have (a filter on <c>status</c> accepts only these).</summary>
    public static readonly IReadOnlyList<string> Statuses = ["completed", "diverged", "failed"];

    private static readonly TrialField[] ColumnFields =
    [
        new("trial_index", TrialFieldKind.Number, TrialFieldSource.Column, "trial_index"),
        new("status", TrialFieldKind.Text, TrialFieldSource.Column, "status"),
        new("seed", TrialFieldKind.Number, TrialFieldSource.Column, "seed"),
        new("optimizer", TrialFieldKind.Text, TrialFieldSource.Column, "optimizer"),
        new("learning_rate", TrialFieldKind.Number, TrialFieldSource.Column, "learning_rate"),
        new("attempts", TrialFieldKind.Number, TrialFieldSource.Column, "attempts"),
        new("worker_id", TrialFieldKind.Text, TrialFieldSource.Column, "worker_id"),
        new("device", TrialFieldKind.Text, TrialFieldSource.Column, "device"),
        new("duration_ms", TrialFieldKind.Number, TrialFieldSource.Column, "duration_ms"),
        new("diverged_at_step", TrialFieldKind.Number, TrialFieldSource.Column, "diverged_at_step"),
        new("error", TrialFieldKind.Text, TrialFieldSource.Column, "error"),
        new("started_at", TrialFieldKind.Time, TrialFieldSource.Column, "started_at"),
        new("finished_at", TrialFieldKind.Time, TrialFieldSource.Column, "finished_at"),
    ];

    private readonly Dictionary<string, TrialField> byName = new(StringComparer.Ordinal);

    /// <param name="experiment">The sweep's experiment (its parameters).</param>
    /// <param name="metricNames">Metric names the sweep's trials stored (see <see cref="TrialQueries.MetricNamesAsync"/>).</param>
    public TrialFields(ExperimentDefinition experiment, IEnumerable<string> metricNames)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(metricNames);
        Experiment = experiment;
        foreach (var column in ColumnFields)
        {
            byName[column.Name] = column;
        }

        var parameters = new List<TrialField>();
        foreach (var parameter in experiment.Parameters)
        {
            var kind = parameter.Kind is ParameterKind.Integer or ParameterKind.Real ? TrialFieldKind.Number : TrialFieldKind.Text;
            var field = byName.TryGetValue(parameter.Name, out var column)
                ? column
                : new TrialField(parameter.Name, kind, TrialFieldSource.Parameter, parameter.Name);
            byName.TryAdd(parameter.Name, field);
            byName[ParameterPrefix + parameter.Name] = field with { Name = ParameterPrefix + parameter.Name };
            parameters.Add(field);
        }

        var metrics = new List<TrialField>();
        foreach (var metric in metricNames.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            // The primary metric has a column of its own (indexed; null when not finite, like every metric here).
            var field = metric == experiment.PrimaryMetric
                ? new TrialField(metric, TrialFieldKind.Number, TrialFieldSource.Column, "primary_metric")
                : new TrialField(metric, TrialFieldKind.Number, TrialFieldSource.Metric, metric);
            byName.TryAdd(metric, field);
            byName[MetricPrefix + metric] = field with { Name = MetricPrefix + metric };
            metrics.Add(field);
        }

        Parameters = parameters;
        Metrics = metrics;
    }

    public ExperimentDefinition Experiment { get; }

    /// <summary>The <c>trials</c> columns, in table order.</summary>
    public static IReadOnlyList<TrialField> Columns => ColumnFields;

    /// <summary>The experiment's parameters, in definition order.</summary>
    public IReadOnlyList<TrialField> Parameters { get; }

    /// <summary>The stored metrics, by name.</summary>
    public IReadOnlyList<TrialField> Metrics { get; }

    public TrialField? Find(string name) => byName.GetValueOrDefault(name);

    /// <exception cref="TrialQueryException">No field has that name.</exception>
    internal TrialField Resolve(string part, int position, string name) =>
        Find(name) ?? throw new TrialQueryException(part, position, $"unknown name '{name}' (known: {string.Join(", ", Known())})");

    private IEnumerable<string> Known() =>
        ColumnFields.Select(f => f.Name).Concat(Parameters.Select(f => f.Name)).Concat(Metrics.Select(f => f.Name)).Distinct(StringComparer.Ordinal);
}
