using System.Globalization;
using CsCheck;
using GradDescent.Abstractions.Files;
using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests.Fuzzing;

/// <summary>
/// Property: whatever text arrives, the parser either accepts it (and the plan expands it) or throws a
/// <see cref="SweepSpecException"/> whose first problem names a line (or, for a file-level problem, only the file),
/// within a time limit and an allocation budget per case; never another exception type, a hang, a stack overflow
/// or gigabytes of memory. The default run is short (CI); <c>GRADDESCENT_FUZZ_SECONDS=600</c> runs for that long
/// and <c>CsCheck_Seed</c> replays a reported failure.
/// </summary>
public sealed class SpecFuzzTests : IDisposable
{
    private const string Source = "fuzz.yaml";
    private const long AllocationBudget = 768L * 1024 * 1024;
    private const int StackBytes = 1024 * 1024;
    private const int DefaultIterations = 250;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(20);

    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("gd-fuzz-");
    private readonly SweepSpecLimits limits;

    public SpecFuzzTests()
    {
        File.WriteAllText(Path.Combine(root.FullName, "heights.csv"), "Height,Weight\n1,2\n3,4\n");
        limits = new SweepSpecLimits { Files = new FileGate(new FileAccessOptions { Roots = [root.FullName] }) };
    }

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public void Parse_HostileSpecs_AcceptsOrThrowsSweepSpecExceptionWithinTimeAndMemory()
    {
        var seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "sweeps"), "*.yaml").Select(File.ReadAllText).ToList();
        var seconds = Environment.GetEnvironmentVariable("GRADDESCENT_FUZZ_SECONDS") is { } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : -1;

        HostileSpecs.Any(seeds).Sample(
            Check,
            iter: seconds > 0 ? -1 : DefaultIterations,
            time: seconds,
            threads: 1,
            print: Describe);
    }

    private void Check(string text)
    {
        Exception? thrown = null;
        long allocated = 0;
        var worker = new Thread(
            () =>
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var spec = SweepSpecParser.Parse(text, Source, limits);
                    if (spec.Search is { IsAdaptive: true })
                    {
                        // Proposed from results by a SearchDriver; the first generation needs none.
                        new SearchDriver(spec).Trials(0);
                    }
                    else
                    {
                        var plan = SweepPlan.Create(spec);
                        foreach (var index in new[] { 0, plan.TotalTrials / 2, plan.TotalTrials - 1 }.Distinct())
                        {
                            plan.GetTrial(index);
                        }
                    }
                }
                catch (Exception e)
                {
                    thrown = e;
                }

                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            },
            StackBytes) { IsBackground = true };
        worker.Start();

        if (!worker.Join(CaseTimeout))
        {
            throw new TimeoutException($"parsing took longer than {CaseTimeout.TotalSeconds} s");
        }

        if (allocated > AllocationBudget)
        {
            throw new InvalidOperationException($"parsing allocated {allocated:N0} bytes, more than the budget of {AllocationBudget:N0}");
        }

        switch (thrown)
        {
            case null:
                return;
            case SweepSpecException spec:
                var first = spec.Errors[0];
                if (!spec.Message.StartsWith(Source + ":", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"the message does not start with the file name: {spec.Message}");
                }

                if (first.Line is null && !first.Problem.StartsWith("the spec is ", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"the first problem has no line: {spec.Message}");
                }

                if (spec.Errors.Count > SweepSpecLimits.DefaultMaxErrors + 1 || spec.Message.Length > 32 * 1024)
                {
                    throw new InvalidOperationException($"{spec.Errors.Count} problems, {spec.Message.Length} characters of message");
                }

                return;
            default:
                throw new InvalidOperationException($"the parser threw {thrown.GetType().Name}, not SweepSpecException", thrown);
        }
    }

    private static string Describe(string text) =>
        text.Length <= 600 ? text : $"{text[..600]}… ({text.Length:N0} characters)";
}
