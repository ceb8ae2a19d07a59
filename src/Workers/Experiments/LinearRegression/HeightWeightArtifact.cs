using System.Globalization;
using System.Text;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// The data a linear-regression trial fitted, as the artefact <c>data.csv</c> stored with the sweep (once per fused
/// group: the other trials name it by hash), so a report draws the scatter plot from the store alone. Larger data sets
/// are stored as an evenly spaced sample of <see cref="MaxPoints"/> rows (the fit and every metric use all rows).
/// </summary>
public static class HeightWeightArtifact
{
    public const string Name = "data.csv";

    public const string MediaType = "text/csv";

    /// <summary>Most rows stored: enough for any scatter plot, about 100 KB.</summary>
    public const int MaxPoints = 5000;

    /// <summary>The CSV (header <c>height,weight</c>, float32 values in round-trip form) with its content.</summary>
    public static TrialArtifact Create(HeightWeightData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var count = Math.Min(data.Count, MaxPoints);
        var text = new StringBuilder(16 + (count * 16));
        text.Append("height,weight\n");
        for (var i = 0; i < count; i++)
        {
            var row = count == data.Count ? i : (int)((long)i * (data.Count - 1) / Math.Max(count - 1, 1));
            text.Append(data.Heights[row].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(data.Weights[row].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return TrialArtifact.FromContent(Name, MediaType, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>How many rows <see cref="Create"/> stores for <paramref name="data"/>.</summary>
    public static int StoredPoints(HeightWeightData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Math.Min(data.Count, MaxPoints);
    }
}
