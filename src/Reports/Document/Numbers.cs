using System.Globalization;

namespace GradDescent.Reports.Document;

/// <summary>How numbers appear: display text (4 significant digits) and CSV text (round-trip).</summary>
public static class Numbers
{
    public const string Missing = "—";

    public static string Show(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : Missing;

    public static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Percent(double share) => share.ToString("P0", CultureInfo.InvariantCulture);

    public static string Csv(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    public static string Csv(long value) => value.ToString(CultureInfo.InvariantCulture);
}
