using ScottPlot;

namespace GradDescent.Reports.Charts;

/// <summary>Shared look of every chart: DejaVu fonts (present on a bare Debian), sizes, a log-axis tick labeller, saving.</summary>
public static class ChartStyle
{
    public const int Width = 800;
    public const int Height = 500;
    public const string FontName = "DejaVu Sans";

    private static readonly Color[] Palette = new ScottPlot.Palettes.Category10().Colors;

    public static Color ColorOf(int index) => Palette[index % Palette.Length];

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
            LabelFormatter = value => Math.Pow(10, value).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public static void Save(Plot plot, string path, int width = Width, int height = Height) => plot.SavePng(path, width, height);
}
