using System.Globalization;

namespace GradDescent.Reports.Document;

/// <summary>How numbers appear: display text (4 significant digits) and CSV text (round-trip).</summary>
public static class Numbers
{
    public const string Missing = "—";

    /// <summary>4 significant digits; whole numbers from 10 000 to 10 000 000 without an exponent (61890, not 6.189E+04).</summary>
    public static string Show(double? value) => value switch
    {
        { } v when !double.IsFinite(v) => Missing,
        { } v when Math.Abs(v) is >= 1e4 and < 1e7 => v.ToString("0", CultureInfo.InvariantCulture),
        { } v => v.ToString("G4", CultureInfo.InvariantCulture),
        null => Missing,
    };

    /// <summary>A parameter's canonical text: numbers shown with <see cref="Show(double?)"/>, anything else as it is.</summary>
    public static string ShowText(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !text.Contains('/', StringComparison.Ordinal) ? Show(number) : text;

    public static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Percent(double share) => share.ToString("P0", CultureInfo.InvariantCulture);

    public static string Csv(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    public static string Csv(long value) => value.ToString(CultureInfo.InvariantCulture);
}
