using ScottPlot;

namespace GradDescent.Reports.Charts;

/// <summary>Shared look of every chart: DejaVu fonts (present on a bare Debian), sizes, a log-axis tick labeller, saving.</summary>
public static class ChartStyle
{
    public const int Width = 800;
    public const int Height = 500;
    public const string FontName = "DejaVu Sans";

    /// <summary>Highest value a minimised metric's log axis shows, as a multiple of the lowest: outliers are clipped.</summary>
    public const double LogAxisSpan = 1000;

    private static readonly Color[] Palette =
    [
        .. new ScottPlot.Palettes.Category10().Colors,
        Color.FromHex("#000000"), Color.FromHex("#b8860b"), Color.FromHex("#4b0082"), Color.FromHex("#556b2f"), Color.FromHex("#ff1493"),
    ];

    public static Color ColorOf(int index) => Palette[index % Palette.Length];

    /// <summary>Solid for the first palette round, dashed after, so up to twice the palette's lines stay distinguishable.</summary>
    public static LinePattern PatternOf(int index) => index < 10 ? LinePattern.Solid : LinePattern.Dashed;

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
        return plot;
    }

    /// <summary>Labels an axis that shows log10 of the values with the values themselves (1e-3, 0.01, ...).</summary>
    public static void LogTicks(IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = value => LogLabel(Math.Pow(10, value)),
        };
    }

    /// <summary>Plain decimals from 0.001 to 99999 (1000, 0.01), powers of ten beyond (1E+06).</summary>
    public static string LogLabel(double value) =>
        value is >= 1e-3 and < 1e5
            ? value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("0.#E+0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Labels the y axis (which shows log10 of the values) with the values and limits it to at most
    /// <see cref="LogAxisSpan"/>× the lowest value, so a few runaway values do not flatten the rest.
    /// </summary>
    /// <returns>True when values above the limit leave the chart.</returns>
    public static bool LogAxisY(Plot plot, double lowest, double highest)
    {
        ArgumentNullException.ThrowIfNull(plot);
        LogTicks(plot.Axes.Left);
        var top = Math.Log10(Math.Min(highest, lowest * LogAxisSpan));
        var bottom = Math.Log10(lowest);
        var pad = Math.Max((top - bottom) * 0.05, 0.05);
        plot.Axes.SetLimitsY(bottom - pad, top + pad);
        return highest > lowest * LogAxisSpan;
    }

    public static void Save(Plot plot, string path, int width = Width, int height = Height) => plot.SavePng(path, width, height);
}
