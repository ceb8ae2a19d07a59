using System.Text.Json;
using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.VectorSpread;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>Each trial stores its trajectory (the report's animation): the start, evenly spaced updates, the final vectors.</summary>
public sealed class VectorSpreadTrajectoryTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Run_SmallShape_StoresTrajectoryFromStartToFinalVectors(bool kernel)
    {
        var parameters = SpreadTrials.Bind(
            ("vectors", 6), ("dims", 3), ("method", VectorSpreadDefinition.TangentialForce), ("optimizer", "adam"), ("iterations", 200), ("restarts", 2));

        var outcome = SpreadTrials.RunWith(kernel ? VectorSpreadExperiment.Program.Kernel : VectorSpreadExperiment.Program.Tensor, null, new TrialInput(parameters, 4))[0];

        var artifact = Assert.Single(outcome.Artifacts);
        Assert.Equal((VectorSpreadDefinition.TrajectoryArtifact, "application/json"), (artifact.Name, artifact.MediaType));
        using var document = JsonDocument.Parse(artifact.Content);
        var steps = document.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()).ToList();
        var frames = document.RootElement.GetProperty("vectors").EnumerateArray()
            .Select(f => f.EnumerateArray().Select(v => v.EnumerateArray().Select(x => x.GetSingle()).ToArray()).ToArray())
            .ToList();
        Assert.Equal(SpreadLaneResults.MaxFrames, steps.Count);
        Assert.Equal((0, 200), (steps[0], steps[^1]));
        Assert.True(steps.Zip(steps.Skip(1)).All(p => p.First < p.Second), "steps increase");
        Assert.Equal(steps.Count, frames.Count);
        Assert.All(frames, f => Assert.Equal((6, 3), (f.Length, f[0].Length)));
        Assert.All(frames.SelectMany(f => f), v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3));

        // The last frame is the reported restart's final arrangement; the first differs from it (the vectors moved).
        var final = SpreadTrials.Vectors(outcome);
        for (var i = 0; i < final.Length; i++)
        {
            Assert.Equal(final[i], frames[^1][i]);
        }

        Assert.NotEqual(final[0], frames[0][0]);
    }

    [Fact]
    public void Run_TrajectoryOverTheLaneCap_StoresNone()
    {
        // 700 vectors × 3 dims × 61 frames = 128,100 floats, over the per-trial cap.
        var parameters = SpreadTrials.Bind(("vectors", 700), ("dims", 3), ("method", VectorSpreadDefinition.MinAngle), ("iterations", 60), ("restarts", 1));

        var outcome = SpreadTrials.RunOne(parameters, 1);

        Assert.Empty(outcome.Artifacts);
        Assert.Equal(700, SpreadTrials.Vectors(outcome).Length);
    }
}
