using GradDescent.Abstractions.Experiments;
using GradDescent.Reports.Analysis;
using GradDescent.Sweeps;

namespace GradDescent.Reports.Tests;

/// <summary>What a sweep varies, as the report sees it.</summary>
public sealed class SweepAxesTests
{
    [Fact]
    public void Find_SweptMethodWhoseDefaultsDiffer_OnlyTheSweptParametersAreAxes()
    {
        var spec = SweepSpecParser.Parse(
            "name: methods\nexperiment: vector-spread\nparameters:\n  iterations: 100\ngrid:\n  method: [min-angle, energy, tangential-force]\n  learning_rate: [0.01, 0.1]\n",
            "methods.yaml");
        var plan = SweepPlan.Create(spec);
        var configurations = Enumerable.Range(0, 6).Select(i => (IReadOnlyDictionary<string, string>)plan.GetTrial(i).Parameters.Values).ToList();

        var axes = SweepAxes.Find(VectorSpreadDefinition.Instance, spec, configurations);

        // restarts, optimizer, lr_decay, clip_norm and energy_s differ too, but only because the method chose them.
        Assert.Equal([("method", AxisRole.Contender), ("learning_rate", AxisRole.Tuning)], axes.Select(a => (a.Name, a.Role)));
        Assert.Contains(configurations, c => c["restarts"] == "16");
        Assert.Contains(configurations, c => c["restarts"] == "1");
    }
}
