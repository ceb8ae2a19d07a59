using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Grains.Sweeps;
using GradDescent.Sweeps;
using Xunit;

namespace GradDescent.Grains.Tests;

/// <summary>Adaptive lease sizes: leases sized from the measured cost per trial of each fusion key so one takes about the target time.</summary>
public sealed class LeaseSizerTests
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(2);
    private static readonly WorkerInfo Worker = new("worker-a", "cpu", 1, "host");
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Budget_NothingMeasured_FirstLeaseIsProbeOfMinimumTrials()
    {
        var run = NewRun();
        var sizer = new LeaseSizer(LinearRegressionDefinition.Instance, Target, minimum: 8);

        var lease = run.Open(Worker, 1024, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;

        Assert.Equal(8, lease.Trials.Length);
    }

    [Theory]
    [InlineData(1.0, 2000)]
    [InlineData(10.0, 200)]
    [InlineData(250.0, 8)]
    [InlineData(5000.0, 8)]
    public void Budget_CostMeasured_LeaseTakesAboutTargetTimeBetweenMinimumAndMaximum(double msPerTrial, int expected)
    {
        var run = NewRun();
        var sizer = new LeaseSizer(LinearRegressionDefinition.Instance, Target, minimum: 8);
        var probe = run.Open(Worker, 10_000, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;
        sizer.Observe(Results(probe, msPerTrial));

        var lease = run.Open(Worker, 10_000, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;
        var capped = run.Open(Worker, 512, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;

        Assert.Equal(expected, lease.Trials.Length);
        Assert.Equal(Math.Min(expected, 512), capped.Trials.Length);
    }

    [Fact]
    public void Budget_MinimumOfOne_ExpensiveTrialsLeasedOneByOne()
    {
        var run = NewRun();
        var sizer = new LeaseSizer(LinearRegressionDefinition.Instance, Target, minimum: 1);
        var probe = run.Open(Worker, 100, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;
        sizer.Observe(Results(probe, 3000));

        var lease = run.Open(Worker, 100, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;

        Assert.Single(probe.Trials);
        Assert.Single(lease.Trials);
    }

    [Fact]
    public void Observe_SeveralCompletions_SmoothsTheCostPerTrial()
    {
        var run = NewRun();
        var sizer = new LeaseSizer(LinearRegressionDefinition.Instance, Target, minimum: 8);
        var first = run.Open(Worker, 100, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;
        sizer.Observe(Results(first, 1.0));
        sizer.Observe(Results(first, 3.0));

        var seconds = sizer.SecondsPerTrial(first.Trials[0], Worker.Device);

        Assert.Equal(0.002, seconds!.Value, precision: 9);
    }

    [Fact]
    public void Budget_WorkerLost_ReleasedTrialsGoOutAgainInLeasesOfAboutTargetTime()
    {
        var run = NewRun();
        var sizer = new LeaseSizer(LinearRegressionDefinition.Instance, Target, minimum: 8);
        var probe = run.Open(Worker, 10_000, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;
        sizer.Observe(Results(probe, 5.0));
        var lost = run.Open(Worker, 10_000, Now.AddSeconds(30), sizer.Budget(Worker.Device))!;

        var expired = run.ReclaimExpired(Now.AddSeconds(31));
        var again = run.Open(Worker, 10_000, Now.AddMinutes(2), sizer.Budget(Worker.Device))!;

        Assert.Equal(lost.Id, Assert.Single(expired).Id);
        Assert.Equal(400, lost.Trials.Length);
        Assert.Equal(lost.Trials.Select(t => t.Index), again.Trials.Select(t => t.Index));
        Assert.All(again.Trials, t => Assert.Equal(2, t.Attempt));
        Assert.True(again.Trials.Length * 0.005 <= Target.TotalSeconds, $"{again.Trials.Length} trials of 5 ms exceed the target");
    }

    [Fact]
    public void Budget_CheapKeyThenUnmeasuredKey_LeaseStopsWhereTheNewKeyWouldOverrun()
    {
        // Optimizer is the first axis: trials 0..999 are gd, 1000.. adam (another fusion key, not measured yet).
        var run = NewRun(ratesPerOptimizer: 1000);
        var sizer = new LeaseSizer(LinearRegressionDefinition.Instance, Target, minimum: 8);
        var probe = run.Open(Worker, 8, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;
        sizer.Observe(Results(probe, 1.0));

        var gd = run.Open(Worker, 10_000, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;

        // 992 gd trials take 0.992 s; an adam trial counts as a probe's share (2 s / 8): four more fit.
        Assert.Equal(996, gd.Trials.Length);
        Assert.Equal(4, gd.Trials.Count(t => t.Parameters.GetText("optimizer") == "adam"));
    }

    [Fact]
    public void Observe_OtherDevice_DoesNotSizeThisDevicesLeases()
    {
        var run = NewRun();
        var sizer = new LeaseSizer(LinearRegressionDefinition.Instance, Target, minimum: 8);
        var probe = run.Open(Worker, 100, Now.AddMinutes(1), sizer.Budget("cuda:0"))!;
        sizer.Observe(Results(probe, 0.01, device: "cuda:0"));

        var cpu = run.Open(Worker, 10_000, Now.AddMinutes(1), sizer.Budget("cpu"))!;
        var gpu = run.Open(Worker, 1000, Now.AddMinutes(1), sizer.Budget("cuda:0"))!;

        Assert.Equal(8, cpu.Trials.Length);
        Assert.Equal(1000, gpu.Trials.Length);
    }

    [Fact]
    public void Observe_MoreClassesThanRemembered_ForgetsTheOldest()
    {
        var run = NewRun();
        var sizer = new LeaseSizer(LinearRegressionDefinition.Instance, Target, minimum: 8);
        var lease = run.Open(Worker, 100, Now.AddMinutes(1), sizer.Budget(Worker.Device))!;
        var first = lease.Trials[0];

        sizer.Observe(Results(lease, 1.0));
        for (var i = 0; i < LeaseSizer.MaxClasses; i++)
        {
            sizer.Observe(Results(lease, 1.0, device: $"cuda:{i}"));
        }

        Assert.Null(sizer.SecondsPerTrial(first, Worker.Device));
        Assert.Equal(0.001, sizer.SecondsPerTrial(first, $"cuda:{LeaseSizer.MaxClasses - 1}"));
    }

    [Fact]
    public void CostKey_TrialsDifferingOnlyInPerTrialParameters_ShareTheKey()
    {
        var definition = LinearRegressionDefinition.Instance;
        var a = definition.Bind([new("optimizer", "adam"), new("learning_rate", "0.1")]);
        var b = definition.Bind([new("optimizer", "adam"), new("learning_rate", "0.2")]);
        var c = definition.Bind([new("optimizer", "gd"), new("learning_rate", "0.1")]);
        var d = definition.Bind([new("optimizer", "adam"), new("learning_rate", "0.1"), new("iterations", "99")]);

        Assert.Equal(definition.CostKey(a), definition.CostKey(b));
        Assert.NotEqual(definition.CostKey(a), definition.CostKey(c));
        Assert.NotEqual(definition.CostKey(a), definition.CostKey(d));
    }

    /// <summary>Every trial of the lease completed, each having cost <paramref name="msPerTrial"/> to compute.</summary>
    private static List<TrialResult> Results(Lease lease, double msPerTrial, string device = "cpu") =>
        [.. lease.Trials.Select(t => TrialResults.For(t, 1.0) with { DurationMs = msPerTrial, Device = device })];

    private static SweepRun NewRun(int ratesPerOptimizer = 5000)
    {
        var spec = SweepSpecParser.Parse(
            $$"""
            name: sizer-test
            experiment: linear-regression
            grid:
              optimizer: [gd, adam]
              learning_rate: {log: [1.0e-6, 1.0e-4], count: {{ratesPerOptimizer}}}
            """,
            "sizer-test.yaml");
        var plan = SweepPlan.Create(spec);
        var progress = new SweepProgress
        {
            SweepId = "s1",
            TotalTrials = plan.TotalTrials,
            Completed = 0,
            Diverged = 0,
            Failed = 0,
            PrimaryMetric = "mse",
            Goal = MetricGoal.Minimize,
        };
        return new SweepRun("s1", LinearRegressionDefinition.Instance, new PlanTrialSource(plan), plan.Spec.MaxAttempts, new TrialBitSet(plan.TotalTrials), progress);
    }
}
