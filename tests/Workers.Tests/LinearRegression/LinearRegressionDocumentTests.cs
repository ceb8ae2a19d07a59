using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.LinearRegression;
using GradDescent.Workers.Tests.Search;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.LinearRegression;

/// <summary>
/// The result documents a fused group writes from its columns are the text the stored rows always had: the document
/// written with <see cref="Utf8JsonWriter"/>, parsed into a <see cref="JsonObject"/> and serialised again.
/// </summary>
public sealed class LinearRegressionDocumentTests
{
    [Fact]
    public void RunFused_StableAndDivergingTrials_DocumentsEqualTheJsonObjectRoundTripByteForByte()
    {
        // Learning rates from tiny to far past divergence: finite, huge, infinite and NaN final values.
        double[] rates = [1e-7, 2e-5, 3.3e-5, 1e-4, 1e-3, 0.5, 3.0, 1e6];
        var trials = rates.Select(rate => new TrialInput(
            LinearRegressionDefinition.Instance.Bind(new Dictionary<string, object?>
            {
                ["optimizer"] = "gd",
                ["iterations"] = "40",
                ["init_intercept"] = "-180",
                ["learning_rate"] = rate.ToString("R", CultureInfo.InvariantCulture),
            }),
            1)).ToList();

        var outcomes = new LinearRegressionExperiment().RunFused(trials, torch.CPU, CancellationToken.None);

        Assert.Contains(outcomes, o => o.DivergedAtStep is not null);
        Assert.Contains(outcomes, o => o.DivergedAtStep is null);
        for (var b = 0; b < rates.Length; b++)
        {
            var m = outcomes[b].Metrics;
            var expected = Reference(
                (float)m["slope"], (float)m["intercept"], (float)m["loss"], (float)m["mse"], SyntheticHeightWeight.Data, "gd", rates[b], 40);
            Assert.Equal(expected, outcomes[b].DetailJson);
            Assert.Equal(expected, outcomes[b].Detail.ToJsonString());
        }
    }

    [Fact]
    public void RunFused_PlanStopsSomeRows_EachDocumentEqualsTheRoundTripWithTheIterationsItRan()
    {
        var trials = new[] { 1e-7, 1e-6, 5e-6, 1e-5, 2e-5, 3e-5 }.Select(rate => new TrialInput(
            LinearRegressionDefinition.Instance.Bind(new Dictionary<string, object?>
            {
                ["optimizer"] = "momentum",
                ["iterations"] = "30",
                ["init_intercept"] = "-180",
                ["learning_rate"] = rate.ToString("R", CultureInfo.InvariantCulture),
            }),
            1)).ToList();
        var experiment = new LinearRegressionExperiment();
        var full = experiment.RunFused(trials, torch.CPU, CancellationToken.None);
        var plan = StoppingPlans.Asha(false, 5, 3, [.. full.Select(o => o.History.Single(s => s.Metric == "loss").Values)], 5, 15);

        var outcomes = experiment.RunFused([.. trials.Select(t => t with { Stopping = plan })], torch.CPU, CancellationToken.None);

        Assert.Contains(outcomes, o => o.PrunedAt is not null);
        Assert.Contains(outcomes, o => o.PrunedAt is null);
        for (var b = 0; b < trials.Count; b++)
        {
            var m = outcomes[b].Metrics;
            var ran = outcomes[b].PrunedAt ?? 30;
            Assert.All(outcomes[b].History, series => Assert.Equal(ran, series.Values.Length));
            var expected = Reference(
                (float)m["slope"], (float)m["intercept"], (float)m["loss"], (float)m["mse"], SyntheticHeightWeight.Data, "momentum", trials[b].Parameters.GetDouble("learning_rate"), ran);
            Assert.Equal(expected, outcomes[b].DetailJson);
        }
    }

    [Fact]
    public void RunFused_DataPathNeedingEscapes_DocumentEqualsTheJsonObjectRoundTrip()
    {
        // The data source (a full path) and the optimizer are escaped once per group, as the writer escapes them.
        var folder = Path.Combine(TempCsvFile.Root, Guid.NewGuid().ToString("N"), "höhe+\"gewicht\" <&> 'ü'");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "data\\1.csv");
        File.WriteAllText(path, "Height,Weight\n1,0\n-1,1\n2,2\n");
        try
        {
            var trial = new TrialInput(
                LinearRegressionDefinition.Instance.Bind(new Dictionary<string, object?> { ["data"] = path, ["optimizer"] = "adam", ["iterations"] = "3", ["learning_rate"] = "0.1" }),
                1);
            var outcome = new LinearRegressionExperiment(TempCsvFile.Gate).RunFused([trial], torch.CPU, CancellationToken.None)[0];
            var m = outcome.Metrics;
            var data = new HeightWeightData([1f, -1f, 2f], [0f, 1f, 2f], path, "unused");
            Assert.Equal(Reference((float)m["slope"], (float)m["intercept"], (float)m["loss"], (float)m["mse"], data, "adam", 0.1, 3), outcome.DetailJson);
            Assert.Equal(path, (string?)outcome.Detail["data"]);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public void FloatAndDoubleText_RandomBitPatterns_EqualUtf8JsonWriterNumbers()
    {
        // The documents format numbers with TryFormat (invariant culture, default format), as Utf8JsonWriter does.
        var random = new Random(20261129);
        var bytes = new ArrayBufferWriter<byte>();
        Span<char> text = stackalloc char[64];
        for (var i = 0; i < 20_000; i++)
        {
            var single = BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31));
            var wide = BitConverter.Int64BitsToDouble(random.NextInt64() ^ ((long)random.Next(2) << 63));
            foreach (var (value, isSingle) in new[] { ((double)single, true), (wide, false) })
            {
                if (!double.IsFinite(value))
                {
                    continue;
                }

                bytes.Clear();
                using (var writer = new Utf8JsonWriter(bytes))
                {
                    if (isSingle)
                    {
                        writer.WriteNumberValue((float)value);
                    }
                    else
                    {
                        writer.WriteNumberValue(value);
                    }
                }

                var written = isSingle
                    ? ((float)value).TryFormat(text, out var n, default, CultureInfo.InvariantCulture) ? n : -1
                    : value.TryFormat(text, out var m, default, CultureInfo.InvariantCulture) ? m : -1;
                Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes.WrittenSpan), new string(text[..written]));
            }
        }
    }

    [Fact]
    public void RunFused_Group_MetricsAreRowsOfOneTableInTheDocumentedOrder()
    {
        var trials = Enumerable.Range(1, 3).Select(i => new TrialInput(
            LinearRegressionDefinition.Instance.Bind(new Dictionary<string, object?> { ["iterations"] = "5", ["init_intercept"] = "-180", ["learning_rate"] = (i * 1e-5).ToString("R", CultureInfo.InvariantCulture) }),
            i)).ToList();
        var outcomes = new LinearRegressionExperiment().RunFused(trials, torch.CPU, CancellationToken.None);
        foreach (var outcome in outcomes)
        {
            Assert.Equal(["slope", "intercept", "loss", "mse", "exact_slope", "exact_intercept", "exact_mse", "mse_gap"], outcome.Metrics.Keys.ToArray());
            Assert.Equal(outcome.Metrics.Values.ToArray(), outcome.Metrics.Select(kv => kv.Value).ToArray());
            Assert.Equal(outcome.History.Single(s => s.Metric == "slope").Values[^1], (float)outcome.Metrics["slope"]);
            Assert.Equal(outcome.Metrics["mse"] - outcome.Metrics["exact_mse"], outcome.Metrics["mse_gap"]);
            Assert.False(outcome.Metrics.ContainsKey("min_angle_deg"));
            Assert.Throws<KeyNotFoundException>(() => outcome.Metrics["min_angle_deg"]);
        }

        Assert.NotEqual(outcomes[0].Metrics["slope"], outcomes[2].Metrics["slope"]);
    }

    /// <summary>How documents were made before they were written from columns: a writer, parsed, serialised again.</summary>
    private static string Reference(float slope, float intercept, float loss, float mse, HeightWeightData data, string optimizer, double learningRate, int iterations)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Number(writer, "slope", slope);
            Number(writer, "intercept", intercept);
            Number(writer, "loss", loss);
            Number(writer, "mse", mse);
            writer.WriteStartObject("exact");
            writer.WriteNumber("slope", data.Exact.Slope);
            writer.WriteNumber("intercept", data.Exact.Intercept);
            writer.WriteNumber("mse", data.Exact.Mse);
            writer.WriteEndObject();
            writer.WriteString("data", data.Source);
            writer.WriteNumber("data_points", data.Count);
            writer.WriteString("optimizer", optimizer);
            writer.WriteNumber("learning_rate", learningRate);
            writer.WriteNumber("iterations", iterations);
            writer.WriteEndObject();
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject().ToJsonString();
    }

    private static void Number(Utf8JsonWriter writer, string name, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
