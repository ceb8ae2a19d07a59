namespace GradDescent.Silo.Cli;

/// <summary>One verb of the <c>graddescent</c> command line.</summary>
public interface ICommand
{
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>Usage line(s) after the program name.</summary>
    string Usage { get; }

    IReadOnlySet<string> Switches { get; }

    IReadOnlySet<string> Options { get; }

    Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken);
}
