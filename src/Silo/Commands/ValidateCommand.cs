using GradDescent.Grains.Sweeps;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent validate FILE</c>: checks a spec without running or storing anything.</summary>
public sealed class ValidateCommand : ICommand
{
    public string Name => "validate";

    public string Summary => "Check a sweep spec without running it.";

    public string Usage => "validate <spec.yaml> [--max-trials N]";

    public IReadOnlySet<string> Switches { get; } = new HashSet<string>();

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "max-trials" };

    public Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(1);
        var path = arguments.Positional(0, "spec");
        var configuration = GradDescentHosting.ReadConfiguration(GradDescentHosting.Overrides(arguments));
        var maxTrials = configuration.GetSection(SweepOptions.Section).Get<SweepOptions>()?.MaxTrials ?? new SweepOptions().MaxTrials;
        var file = SpecFile.Load(path, maxTrials);
        var spec = file.Spec;
        Console.Out.WriteLine($"{path}: valid — sweep '{spec.Name}', experiment {spec.Experiment}, {spec.TotalTrials} trials");
        return Task.FromResult(ExitCodes.Success);
    }
}
