using System.Runtime.InteropServices;
using GradDescent.Abstractions.Parameters;
using GradDescent.Silo.Commands;
using GradDescent.Sweeps;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Cli;

/// <summary>Entry point: picks the command, maps failures to exit codes (0 ok, 1 failure, 2 bad input).</summary>
public static class CliApplication
{
    private static readonly ICommand[] Commands =
    [
        new RunCommand(), new ResumeCommand(), new SubmitCommand(), new SiloCommand(), new WorkerCommand(),
        new ValidateCommand(), new SweepsCommand(), new StatusCommand(), new CancelCommand(), new ResultsCommand(),
        new TrialCommand(), new TrainVictimCommand(), new ReportCommand(), new DashboardCommand(),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.Write(Help());
            return args.Length == 0 ? ExitCodes.BadInput : ExitCodes.Success;
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            await Console.Error.WriteLineAsync($"error: unknown command '{args[0]}'\n\n{Help()}");
            return ExitCodes.BadInput;
        }

        if (args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            Console.Out.WriteLine($"usage: graddescent {command.Usage}\n\n{command.Summary}");
            return ExitCodes.Success;
        }

        using var interrupted = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Interrupt(context, interrupted));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Interrupt(context, interrupted));
        try
        {
            var arguments = CommandArguments.Parse(args[1..], command.Switches, command.Options);
            return await command.RunAsync(arguments, interrupted.Token);
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static bool IsBadInput(Exception ex) =>
        ex is UsageException or ParameterException or SweepSpecException or OptionsValidationException
        || (ex is AggregateException aggregate && aggregate.InnerExceptions.All(IsBadInput));

    private static void Interrupt(PosixSignalContext context, CancellationTokenSource interrupted)
    {
        context.Cancel = true;
        interrupted.Cancel();
    }

    private static string Help()
    {
        var lines = Commands.Select(c => $"  {c.Name,-12} {c.Summary}");
        return "graddescent: hyperparameter sweeps for gradient-descent experiments\n\n"
            + "usage: graddescent <command> [arguments]   (graddescent <command> --help for details)\n\n"
            + "commands:\n" + string.Join('\n', lines) + "\n\n"
            + "exit codes: 0 success, 1 failure, 2 bad input\n";
    }
}
