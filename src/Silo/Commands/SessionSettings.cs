using System.CommandLine;
using GradDescent.Silo.Cli;

namespace GradDescent.Silo.Commands;

/// <summary>The output flags of the sweep-running commands (run, resume, submit).</summary>
/// <param name="Database">The <c>--db</c> value as given, repeated in the follow-up commands it prints.</param>
public sealed record SessionSettings(bool Json, bool Verbose, bool Report, string? ReportFolder, string? Database)
{
    /// <summary>Adds <c>--out</c>, <c>--no-report</c>, <c>--json</c> and <c>--verbose</c> to a command; returns their reader.</summary>
    public static Func<ParseResult, SessionSettings> AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (json, verbose, noReport, folder) = (CliOptions.Json("Print JSON lines (progress, then the result) instead of text."), CliOptions.Verbose(), CliOptions.NoReport(), CliOptions.ReportFolder());
        command.Add(folder);
        command.Add(noReport);
        command.Add(json);
        command.Add(verbose);
        return parse => new SessionSettings(
            parse.GetValue(json), parse.GetValue(verbose), !parse.GetValue(noReport), parse.GetValue(folder), parse.GetValue(CliOptions.Database));
    }
}
