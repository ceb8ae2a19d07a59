using System.Text.RegularExpressions;
using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Testing.CustomResources;
using GradDescent.Deploy.Tests.Infrastructure;

namespace GradDescent.Deploy.Tests;

/// <summary>KEDA scales the CPU worker pool on pending trials.</summary>
public sealed partial class AutoscalingTests
{
    private static ScaledObject ScaledObject => Overlays.Render(Overlays.Production).Get<ScaledObject>("graddescent-worker-cpu");

    private static string Query => Assert.Single(ScaledObject.Spec.Triggers, t => t.Type == "prometheus").Metadata["query"];

    [Fact]
    public void ScaledObject_Production_ScalesTheCpuPoolWhoseReplicasItOwns()
    {
        var manifests = Overlays.Render(Overlays.Production);
        var target = manifests.Workload(ScaledObject.Spec.ScaleTargetRef.Name);

        Assert.Equal("Deployment", target.Kind);
        Assert.Equal("cpu", target.PodLabels[ManifestLabels.Pool]);
        Assert.Null(target.Replicas);
        Assert.InRange(ScaledObject.Spec.MinReplicaCount!.Value, 1, ScaledObject.Spec.MaxReplicaCount!.Value);
        Assert.Null(ScaledObject.Spec.ScaleTargetRef.Kind);
        Assert.All(manifests.Workloads.Where(w => w.Kind == "Deployment" && w != target), w => Assert.NotNull(w.Replicas));
    }

    [Fact]
    public void ScaledObject_Query_SelectsThePendingTrialsOfThisNamespacesSilos()
    {
        var matchers = Matcher().Matches(Query).ToDictionary(m => m.Groups["label"].Value, m => m.Groups["value"].Value);

        Assert.Equal(["graddescent_trials_pending"], PromQl.MetricNames(Query));
        Assert.Equal(ScaledObject.Metadata.NamespaceProperty, matchers["namespace"]);
        Assert.Equal("graddescent-silo", matchers["job"]);
        Assert.True(double.Parse(ScaledObject.Spec.Triggers[0].Metadata["threshold"], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public void ScaledObject_Query_CountsASweepReportedByTwoSilosOnce()
    {
        var result = new PromQlTest()
            .Series("graddescent_trials_pending{namespace=\"graddescent\", job=\"graddescent-silo\", instance=\"silo-a\", sweep=\"s1\"}", "1000x5")
            .Series("graddescent_trials_pending{namespace=\"graddescent\", job=\"graddescent-silo\", instance=\"silo-b\", sweep=\"s1\"}", "1000x5")
            .Series("graddescent_trials_pending{namespace=\"graddescent\", job=\"graddescent-silo\", instance=\"silo-a\", sweep=\"s2\"}", "300x5")
            .Series("graddescent_trials_pending{namespace=\"other\", job=\"graddescent-silo\", instance=\"silo-c\", sweep=\"s3\"}", "5000x5")
            .Expect(Query, "3m", new ExpectedSample("{}", 1300))
            .Run();

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [GeneratedRegex("(?<label>[a-z_]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Matcher();
}
