using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using GradDescent.Silo.Commands;

namespace GradDescent.Silo.Cli;

/// <summary>
/// Entry point: the command tree (help and <c>--version</c> generated from its definitions), parse errors
/// and failures mapped to exit codes: 0 success, 1 failure, 2 bad input, 130 interrupted.
/// </summary>
public static class CliApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = CreateRootCommand();
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            return await ReportParseErrorsAsync(parse);
        }

        using var interrupted = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Interrupt(context, interrupted));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Interrupt(context, interrupted));
        try
        {
            // Signals are ours (graceful stop, exit 130); failures are mapped below.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(invocation, interrupted.Token);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            var (exitCode, message) = CliErrors.Describe(ex);
            await Console.Error.WriteLineAsync(message);
            return exitCode;
        }
    }

    /// <summary>Every command, with the options all of them accept (<c>--db</c>, <c>--log-format</c>).</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "graddescent: distributed hyperparameter sweeps for gradient-descent experiments.\n"
            + "Exit codes: 0 success, 1 failure, 2 bad input, 130 interrupted. Settings: README.md (Configuration).")
        {
            CliOptions.Database,
            CliOptions.LogFormat,
            RunCommand.Create(),
            ResumeCommand.Create(),
            SubmitCommand.Create(),
            SiloCommand.Create(),
            WorkerCommand.Create(),
            ValidateCommand.Create(),
            MigrateCommand.Create(),
            SweepsCommand.Create(),
            StatusCommand.Create(),
            ResultsCommand.Create(),
            CancelCommand.Create(),
            DeleteCommand.Create(),
            ReportCommand.Create(),
            TrialCommand.Create(),
            TrainVictimCommand.Create(),
            CertsCommand.Create(),
            DashboardCommand.Create(),
        };
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ExperimentHelpAction((HelpAction)help.Action!);
        return root;
    }

    private static async Task<int> ReportParseErrorsAsync(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (command is RootCommand && parse.Tokens.Count == 0)
        {
            // No command at all: the overview, as for --help, but a failed invocation.
            await command.Parse(["--help"]).InvokeAsync();
            return ExitCodes.BadInput;
        }

        foreach (var error in parse.Errors)
        {
            await Console.Error.WriteLineAsync($"error: {error.Message}");
        }

        var names = new List<string>();
        for (var result = parse.CommandResult; result is { Command: not RootCommand }; result = result.Parent as CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        var path = string.Join(' ', names);
        await Console.Error.WriteLineAsync(command is RootCommand ? "(graddescent --help lists the commands)" : $"(graddescent {path} --help shows its usage)");
        return ExitCodes.BadInput;
    }

    private static void Interrupt(PosixSignalContext context, CancellationTokenSource interrupted)
    {
        context.Cancel = true;
        interrupted.Cancel();
    }
}
