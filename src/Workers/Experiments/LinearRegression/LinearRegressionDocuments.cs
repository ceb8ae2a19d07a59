using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// Writes the result documents of a fused group straight from its numbers, one JSON text per trial:
/// <c>{"slope":…,"intercept":…,"loss":…,"mse":…,"exact":{…},"data":…,"data_points":…,"optimizer":…,"learning_rate":…,"iterations":…}</c>.
/// What the trials share (the exact solution, data, optimizer) is encoded once per group by
/// <see cref="Utf8JsonWriter"/>; per trial only six numbers are formatted (iterations is how many the trial ran: fewer
/// for one an early-stopping plan stopped), as <see cref="Utf8JsonWriter"/> formats
/// them (shortest round-trip text; NaN and infinities as null, which JSON lacks). The text is the same, byte for
/// byte, as writing the whole document with <see cref="Utf8JsonWriter"/>'s default options.
/// </summary>
internal sealed class LinearRegressionDocuments
{
    private const string SlopeKey = "{\"slope\":";
    private const string InterceptKey = ",\"intercept\":";
    private const string LossKey = ",\"loss\":";
    private const string MseKey = ",\"mse\":";
    private const string IterationsKey = ",\"iterations\":";

    private readonly string shared;
    private readonly char[] buffer;

    public LinearRegressionDocuments(HeightWeightData data, string optimizer)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(optimizer);
        var bytes = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(bytes))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("exact");
            writer.WriteNumber("slope", data.Exact.Slope);
            writer.WriteNumber("intercept", data.Exact.Intercept);
            writer.WriteNumber("mse", data.Exact.Mse);
            writer.WriteEndObject();
            writer.WriteString("data", data.Source);
            writer.WriteNumber("data_points", data.Count);
            writer.WriteString("optimizer", optimizer);
            writer.WriteEndObject();
        }

        // The members between the outer braces, framed by the per-trial members around them.
        var members = Encoding.UTF8.GetString(bytes.WrittenSpan[1..^1]);
        shared = "," + members + ",\"learning_rate\":";
        buffer = new char[SlopeKey.Length + InterceptKey.Length + LossKey.Length + MseKey.Length + shared.Length + IterationsKey.Length + 1 + (6 * 32)];
    }

    /// <summary>One trial's document; <paramref name="iterations"/> is how many it ran.</summary>
    /// <exception cref="ArgumentException">The learning rate is not finite (JSON cannot hold it).</exception>
    public string Write(float slope, float intercept, float loss, float mse, double learningRate, int iterations)
    {
        if (!double.IsFinite(learningRate))
        {
            throw new ArgumentException($"learning rate {learningRate} is not a finite number", nameof(learningRate));
        }

        var at = 0;
        Append(ref at, SlopeKey);
        Number(ref at, slope);
        Append(ref at, InterceptKey);
        Number(ref at, intercept);
        Append(ref at, LossKey);
        Number(ref at, loss);
        Append(ref at, MseKey);
        Number(ref at, mse);
        Append(ref at, shared);
        at += Format(learningRate, buffer.AsSpan(at));
        Append(ref at, IterationsKey);
        var done = iterations.TryFormat(buffer.AsSpan(at), out var written, default, CultureInfo.InvariantCulture);
        Debug.Assert(done, "the buffer leaves 32 characters per number");
        at += written;
        buffer[at++] = '}';
        return new string(buffer, 0, at);
    }

    private void Append(ref int at, string text)
    {
        text.CopyTo(buffer.AsSpan(at));
        at += text.Length;
    }

    private void Number(ref int at, float value)
    {
        if (float.IsFinite(value))
        {
            var done = value.TryFormat(buffer.AsSpan(at), out var written, default, CultureInfo.InvariantCulture);
            Debug.Assert(done, "the buffer leaves 32 characters per number");
            at += written;
        }
        else
        {
            Append(ref at, "null");
        }
    }

    private static int Format(double value, Span<char> destination)
    {
        var done = value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        Debug.Assert(done, "the buffer leaves 32 characters per number");
        return written;
    }
}
