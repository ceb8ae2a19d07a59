using GradDescent.Silo.Cli;

namespace GradDescent.Silo.Commands;

/// <summary>Builds a command's <see cref="SessionOutput"/> from its switches.</summary>
public static class SessionOutputs
{
    public static SessionOutput For(CommandArguments arguments)
    {
        var db = arguments.Option("db");
        var hint = db is null ? string.Empty : $" --db {(db.Contains(' ', StringComparison.Ordinal) ? $"\"{db}\"" : db)}";
        return new SessionOutput(arguments.Has("json"), arguments.Has("verbose"), hint, report: null);
    }
}
