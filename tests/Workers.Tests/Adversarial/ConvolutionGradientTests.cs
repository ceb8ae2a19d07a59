using GradDescent.Workers.Experiments.Adversarial.Victim;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace GradDescent.Workers.Tests.Adversarial;

/// <summary>
/// The victim's convolution path (<see cref="VictimNetwork.Convolve"/>: libtorch's convolution, oneDNN
/// on this CPU, channels-last) against references: central differences, the unfold × matmul oracle in
/// float32 and float64, and itself on an image alone versus inside a batch.
/// </summary>
public sealed class ConvolutionGradientTests
{
    private static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>(input channels, output channels, input size): the article victim's three convolutions, then the test victim's.</summary>
    public static TheoryData<int, int, int> VictimShapes => new()
    {
        { 3, 32, 128 },
        { 32, 64, 63 },
        { 64, 128, 30 },
        { 3, 4, 32 },
        { 4, 8, 15 },
        { 8, 16, 6 },
    };

    /// <summary>
    /// Each input-gradient element is a float32 sum of K = 9 × output-channels products (at most 1152);
    /// its rounding error is typically √K · 2⁻²⁴ ≈ 2e-6 of the largest gradient, and was at most 6e-7
    /// against the float64 oracle here (the float32 oracle: 3e-7). 1e-5 of the largest gradient is well
    /// above that rounding and far below any real fault: a flipped kernel, a wrong tap, a skipped
    /// channel block or stale memory changes elements by the order of the gradient itself.
    /// </summary>
    [Theory]
    [MemberData(nameof(VictimShapes))]
    public void Convolve_VictimShapes_InputGradientMatchesUnfoldOracle(int inChannels, int outChannels, int size)
    {
        using var scope = NewDisposeScope();
        using var conv = SeededConv(inChannels, outChannels, seed: size);
        using var generator = new Generator((ulong)(inChannels + outChannels));
        var images = rand([2, inChannels, size, size], generator: generator);
        var upstream = rand([2, outChannels, size - 2, size - 2], generator: generator).sub(Half);

        var actual = InputGradient(x => VictimNetwork.Convolve(x, conv), images, upstream);
        var oracle = InputGradient(x => UnfoldConvolution.Apply(x, conv.weight, conv.bias), images, upstream);
        var exact = InputGradient(
            x => UnfoldConvolution.Apply(x, conv.weight.to(ScalarType.Float64), conv.bias!.to(ScalarType.Float64)),
            images.to(ScalarType.Float64),
            upstream.to(ScalarType.Float64));

        var scale = exact.abs().max().item<double>();
        Assert.True(scale > 0.1, $"gradient scale {scale}");
        AssertWithin(actual, exact, 1e-5 * scale, "oneDNN vs float64 oracle");
        AssertWithin(actual, oracle, 1e-5 * scale, "oneDNN vs float32 oracle");
    }

    /// <summary>
    /// A tiny network, conv 3→4, tanh, conv 4→2, differentiated by autograd and by central
    /// differences of the same float32 computation with a step of 1e-2 (batch 1 takes the padded path,
    /// batch 2 the plain one). A difference carries the float32 rounding of the network's outputs
    /// divided by the step (~1e-5 relative here) plus the truncation error step² · f‴ / 6; together
    /// they came to at most 4e-5 of the largest gradient (≈ 0.12). 2e-3 of it is fifty times that,
    /// while a wrong gradient (a flipped kernel, a skipped block) is off by the order of the gradient.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Convolve_TinyNetwork_InputGradientMatchesCentralDifferences(int batch)
    {
        using var scope = NewDisposeScope();
        using var first = SeededConv(3, 4, seed: 1);
        using var second = SeededConv(4, 2, seed: 2);
        using var generator = new Generator(3);
        var images = rand([batch, 3, 7, 7], generator: generator);
        var upstream = rand([batch, 2, 3, 3], generator: generator).sub(Half);
        var upstream64 = upstream.to(ScalarType.Float64);
        Tensor Network(Tensor x) => VictimNetwork.Convolve(VictimNetwork.Convolve(x, first).tanh(), second);
        double Loss(Tensor x)
        {
            using var noGrad = no_grad();
            using var inner = NewDisposeScope();
            return Network(x).to(ScalarType.Float64).mul(upstream64).sum().item<double>();
        }

        var analytic = InputGradient(Network, images, upstream).data<float>().ToArray();
        var largest = analytic.Max(Math.Abs);
        Assert.True(largest > 0.05, $"gradient scale {largest}");

        const float step = 1e-2f;
        using var probe = images.clone();
        var values = probe.view(-1).data<float>();
        for (var i = 0; i < analytic.Length; i++)
        {
            var original = values[i];
            values[i] = original + step;
            var up = Loss(probe);
            values[i] = original - step;
            var down = Loss(probe);
            values[i] = original;
            var difference = (up - down) / ((double)(original + step) - (original - step));
            Assert.True(
                Math.Abs(difference - analytic[i]) <= 2e-3 * largest,
                $"input {i}: autograd {analytic[i]:R}, central difference {difference:R}");
        }
    }

    /// <summary>
    /// An image's output and input gradient do not depend on the batch it is convolved in, bit for
    /// bit: every batch size runs oneDNN's kernel (a single small image is padded to two), and the
    /// kernel computes each image on its own.
    /// </summary>
    [Theory]
    [InlineData(3, 4, 32)]
    [InlineData(8, 16, 6)]
    [InlineData(3, 32, 128)]
    [InlineData(32, 64, 63)]
    public void Convolve_ImageAloneOrInABatch_BitIdenticalOutputAndGradient(int inChannels, int outChannels, int size)
    {
        using var scope = NewDisposeScope();
        using var conv = SeededConv(inChannels, outChannels, seed: 4);
        using var generator = new Generator(5);
        var images = rand([3, inChannels, size, size], generator: generator);
        var upstream = rand([3, outChannels, size - 2, size - 2], generator: generator).sub(Half);

        var together = VictimNetwork.Convolve(images, conv).detach();
        var togetherGradient = InputGradient(x => VictimNetwork.Convolve(x, conv), images, upstream);
        for (var i = 0; i < 3; i++)
        {
            var image = images[i..(i + 1)];
            var alone = VictimNetwork.Convolve(image, conv).detach();
            var aloneGradient = InputGradient(x => VictimNetwork.Convolve(x, conv), image, upstream[i..(i + 1)]);

            Assert.True(alone.eq(together[i..(i + 1)]).all().item<bool>(), $"image {i}: output alone differs from its output in the batch");
            Assert.True(aloneGradient.eq(togetherGradient[i..(i + 1)]).all().item<bool>(), $"image {i}: gradient alone differs from its gradient in the batch");
        }
    }

    /// <summary>
    /// The whole article-size victim (random weights, eval mode) against the same network computed
    /// in float64 with unfold × matmul convolutions: probabilities and the attack's input gradient,
    /// d(p_cat − p_dog)/d(image). This also checks that the channels-last activations are flattened
    /// in torch's (c, h, w) order for the dense layer. The float32 network stayed within 5e-8 of the
    /// float64 one in probability and 4e-7 of the largest gradient; the tolerances, 1e-6 and 1e-5,
    /// leave room for rounding to compound differently elsewhere and still catch any real fault.
    /// </summary>
    [Fact]
    public void Forward_ArticleVictim_ProbabilitiesAndInputGradientMatchFloat64Oracle()
    {
        using var scope = NewDisposeScope();
        using var network = new VictimNetwork(VictimArchitecture.Article, seed: 6);
        network.eval();
        using var generator = new Generator(7);
        var images = rand([2, 3, 128, 128], generator: generator);

        var (probabilities, gradient) = Attack(x => network.call(x), images);
        var (expectedProbabilities, expectedGradient) = Attack(x => OracleForward(network, x), images.to(ScalarType.Float64));

        AssertWithin(probabilities, expectedProbabilities, 1e-6, "probabilities");
        var scale = expectedGradient.abs().max().item<double>();
        Assert.True(scale > 0, "the oracle's gradient is zero");
        AssertWithin(gradient, expectedGradient, 1e-5 * scale, "input gradient");
    }

    private static (Tensor Probabilities, Tensor Gradient) Attack(Func<Tensor, Tensor> network, Tensor images)
    {
        var leaf = images.detach().requires_grad_(true);
        var probabilities = nn.functional.softmax(network(leaf), 1);
        var objective = (probabilities[.., 0] - probabilities[.., 1]).sum();
        return (probabilities.detach(), autograd.grad([objective], [leaf])[0]);
    }

    /// <summary>The victim's eval-mode forward pass from its state, in the input's dtype, with <see cref="UnfoldConvolution"/>.</summary>
    private static Tensor OracleForward(VictimNetwork network, Tensor x)
    {
        var state = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to(x.dtype));
        Tensor Norm(Tensor t, string name) => nn.functional.batch_norm(
            t, state[$"{name}.running_mean"], state[$"{name}.running_var"], state[$"{name}.weight"], state[$"{name}.bias"],
            training: false, eps: VictimArchitecture.BatchNormEpsilon);
        for (var block = 1; block <= 3; block++)
        {
            var convolved = UnfoldConvolution.Apply(x, state[$"conv{block}.weight"], state[$"conv{block}.bias"]);
            x = nn.functional.max_pool2d(Norm(nn.functional.relu(convolved), $"bn{block}"), 2);
        }

        var hidden = Norm(nn.functional.relu(nn.functional.linear(x.flatten(1), state["dense1.weight"], state["dense1.bias"])), "bn4");
        return nn.functional.linear(hidden, state["dense2.weight"], state["dense2.bias"]);
    }

    private static Tensor InputGradient(Func<Tensor, Tensor> function, Tensor input, Tensor upstream)
    {
        var leaf = input.detach().requires_grad_(true);
        var loss = function(leaf).mul(upstream).sum();
        return autograd.grad([loss], [leaf])[0];
    }

    private static void AssertWithin(Tensor actual, Tensor expected, double tolerance, string what)
    {
        var error = actual.to(ScalarType.Float64).sub(expected.to(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(error <= tolerance, $"{what}: largest difference {error:E2}, allowed {tolerance:E2}");
    }

    /// <summary>A convolution with weights and bias drawn from a seeded generator (not torch's global one).</summary>
    private static Conv2d SeededConv(int inChannels, int outChannels, int seed)
    {
        var conv = nn.Conv2d(inChannels, outChannels, 3);
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        using var scale = (2.0 / Math.Sqrt(9.0 * inChannels)).ToScalar();
        using var weight = rand(conv.weight.shape, generator: generator);
        using var bias = rand(conv.bias!.shape, generator: generator);
        conv.weight.copy_(weight.sub(Half).mul(scale));
        conv.bias.copy_(bias.sub(Half));
        return conv;
    }
}
