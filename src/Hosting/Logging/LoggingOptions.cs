namespace GradDescent.Hosting.Logging;

/// <summary>Log output (section <c>GradDescent:Logging</c>; flag <c>--log-format</c>).</summary>
public sealed class LoggingOptions
{
    public const string Section = "GradDescent:Logging";

    /// <summary><c>text</c> (default) or <c>json</c>: one JSON object per line.</summary>
    public LogFormat Format { get; set; } = LogFormat.Text;
}
