using System.Globalization;

namespace GradDescent.Dashboard.Pages;

/// <summary>How pages write numbers, durations and times (invariant culture, UTC).</summary>
public static class Format
{
    public static string Number(double? value) => value switch
    {
        null => "–",
        { } v when double.IsNaN(v) => "NaN",
        { } v when double.IsInfinity(v) => v > 0 ? "∞" : "−∞",
        { } v => v.ToString("G6", CultureInfo.InvariantCulture),
    };

    public static string Integer(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double? perSecond) => perSecond is { } rate ? rate.ToString(rate < 10 ? "F1" : "F0", CultureInfo.InvariantCulture) : "–";

    public static string Duration(double? seconds) => seconds switch
    {
        null => "–",
        < 1 => "<1 s",
        < 60 => $"{Math.Round(seconds.Value).ToString(CultureInfo.InvariantCulture)} s",
        _ => TimeSpan.FromSeconds(Math.Round(seconds.Value)).ToString(seconds.Value >= 86400 ? @"d\.hh\:mm\:ss" : @"h\:mm\:ss", CultureInfo.InvariantCulture),
    };

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "–";

    public static string Percent(double fraction) => (fraction * 100).ToString("F0", CultureInfo.InvariantCulture) + "%";

    public static string Parameters(IReadOnlyDictionary<string, string>? parameters) =>
        parameters is null ? "–" : string.Join(" ", parameters.Select(p => $"{p.Key}={p.Value}"));
}
