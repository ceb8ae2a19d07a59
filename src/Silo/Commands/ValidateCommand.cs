using System.CommandLine;
using GradDescent.Grains.Extensions;
using GradDescent.Grains.Sweeps;
using GradDescent.Silo.Cli;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent validate FILE</c>: checks a spec without running or storing anything, and warns (on stderr, exit code 0)
/// when it repeats trials that do not depend on the seed.
/// </summary>
public sealed class ValidateCommand(IOptions<SweepOptions> sweeps, ValidateCommand.Input input) : ICommandHandler
{
    public sealed record Input(string SpecPath);

    public static Command Create()
    {
        var spec = CliOptions.Spec();
        var command = new Command("validate", "Check a sweep spec without running it.") { spec, CliOptions.MaxTrials() };
        command.SetAction((parse, ct) => CliHost.RunAsync<ValidateCommand>(
            parse, builder => builder.Services.AddGradDescentControlPlane().AddSingleton(new Input(parse.GetRequiredValue(spec))), ct));
        return command;
    }

    public Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var file = SpecFile.Load(input.SpecPath, sweeps.Value.MaxTrials);
        var spec = file.Spec;
        Console.Out.WriteLine($"{input.SpecPath}: valid — sweep '{spec.Name}', experiment {spec.Experiment}, {spec.TotalTrials} trials");
        if (RepeatCheck.Warning(spec) is { } warning)
        {
            Console.Error.WriteLine(warning);
        }

        return Task.FromResult(ExitCodes.Success);
    }
}
