using GradDescent.Workers.Experiments.Adversarial.Synthetic;
using GradDescent.Workers.Experiments.Adversarial.Victim;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradDescent.Workers.Tests.Adversarial;

/// <summary>
/// The victim's Adam (rooted Scalars) must compute what TorchSharp's <c>optim.Adam(parameters, lr)</c> computes, bit for
/// bit, so replacing it changed no trained victim.
/// </summary>
public sealed class VictimAdamTests
{
    [Fact]
    public void Step_FiveBatches_SameBitsAsTorchSharpsAdam()
    {
        var architecture = new VictimArchitecture(32, 2);
        using var ours = new VictimNetwork(architecture, seed: 4);
        using var theirs = new VictimNetwork(architecture, seed: 4);
        using var adam = new VictimAdam(ours.parameters(), 0.003);
        using var reference = optim.Adam(theirs.parameters(), 0.003);
        var images = SyntheticPets.Dataset(8, 32, seed: 6);
        using var x = stack(images.Select(i => i.Image.ToLevels()).ToArray()).to_type(ScalarType.Float32).div(255f);
        using var labels = tensor(images.Select(i => (long)i.Label).ToArray());

        for (var step = 0; step < 5; step++)
        {
            adam.ZeroGrad();
            reference.zero_grad();
            using (NewDisposeScope())
            {
                ours.train();
                theirs.train();
                nn.functional.cross_entropy(ours.call(x), labels).backward();
                nn.functional.cross_entropy(theirs.call(x), labels).backward();
            }

            adam.Step();
            reference.step();
        }

        var expected = theirs.parameters().ToArray();
        var actual = ours.parameters().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].eq(actual[i]).all().item<bool>(), $"parameter {i} differs");
        }

        using var untrained = new VictimNetwork(architecture, seed: 4);
        Assert.False(actual[0].eq(untrained.parameters().First()).all().item<bool>(), "the weights did not move");
    }
}
