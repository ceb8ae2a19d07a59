using System.CommandLine;
using GradDescent.Abstractions.Files;
using GradDescent.Grains.Extensions;
using GradDescent.Grains.Sweeps;
using GradDescent.Silo.Cli;
using GradDescent.Sweeps;
using GradDescent.Workers.FileAccess;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent validate FILE</c>: checks a spec without running or storing anything, file parameters included:
/// each must be a regular file (or, for <c>out</c>, a folder) inside the spec's folder, the working directory or a
/// configured root, as <c>run</c> would allow. Warns (on stderr, exit code 0) when the spec repeats trials that do not
/// depend on the seed.
/// </summary>
public sealed class ValidateCommand(IOptions<SweepOptions> sweeps, FileGate files, ValidateCommand.Input input) : ICommandHandler
{
    public sealed record Input(string SpecPath);

    public static Command Create()
    {
        var spec = CliOptions.Spec();
        var command = new Command("validate", "Check a sweep spec (and the files it names) without running it.") { spec, CliOptions.MaxTrials() };
        command.SetAction((parse, ct) =>
        {
            var path = parse.GetRequiredValue(spec);
            return CliHost.RunAsync<ValidateCommand>(
                parse,
                builder => builder.Services
                    .AddGradDescentControlPlane()
                    .AddGradDescentFileAccess(LocalFileRoots.ForSpec(path).Folders)
                    .AddSingleton(new Input(path)),
                ct);
        });
        return command;
    }

    public Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var spec = SpecFile.Load(input.SpecPath, new SweepSpecLimits { MaxTrials = sweeps.Value.MaxTrials, Files = files }).Spec;
        Console.Out.WriteLine($"{input.SpecPath}: valid — sweep '{spec.Name}', experiment {spec.Experiment}, {spec.TotalTrials} trials{(spec.Placement is { } placement ? $", placement {placement}" : string.Empty)}");
        if (RepeatCheck.Warning(spec) is { } warning)
        {
            Console.Error.WriteLine(warning);
        }

        return Task.FromResult(ExitCodes.Success);
    }
}
