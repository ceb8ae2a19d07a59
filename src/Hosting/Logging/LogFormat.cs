namespace GradDescent.Hosting.Logging;

/// <summary>How log lines are written to stderr.</summary>
public enum LogFormat
{
    /// <summary>One readable line per event.</summary>
    Text,

    /// <summary>One JSON object per line (the console JSON formatter), for log collectors.</summary>
    Json,
}
