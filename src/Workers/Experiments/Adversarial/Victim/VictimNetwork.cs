using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// The article's CNN as a TorchSharp module (see <see cref="VictimArchitecture"/>). Input
/// [B, 3, H, W] in [0, 1]; output logits [B, 2] = [cat, dog] (softmax gives the article's outputs).
/// </summary>
/// <remarks>
/// <para>
/// The convolutions are libtorch's own (<see cref="Convolve"/>): on x86 CPUs oneDNN's JIT kernels,
/// fed channels-last (NHWC) memory, which skips oneDNN's reorders to and from its blocked layout.
/// Their input gradients agree with an unfold × matmul oracle and with central differences
/// (tests/Workers.Tests/Adversarial/ConvolutionGradientTests.cs). A single small image is convolved
/// as the first of a batch of two, so every batch size runs the same kernel and an image's result
/// does not depend on the batch it is in (docs/torchsharp-notes.md, "libtorch's CPU convolution").
/// </para>
/// <para>
/// Initialisation (torch's default bounds, U(±1/√fan_in) for weights and biases) and dropout masks are
/// drawn from the network's own generator, so training is reproducible even while other threads use
/// torch's global generator.
/// </para>
/// </remarks>
public sealed class VictimNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>
    /// Largest single image (in elements) that libtorch 2.10 convolves with its own im2col kernel
    /// rather than oneDNN (<c>ConvParams::use_mkldnn</c> takes oneDNN for a batch of more than one
    /// image or an input of more than 20480 elements).
    /// </summary>
    public const long SingleImageNativeKernelLimit = 20_480;

    private const double BlockDropout = 0.25;
    private const double DenseDropout = 0.5;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Linear dense1;
    private readonly BatchNorm1d bn4;
    private readonly Linear dense2;
    private readonly MaxPool2d pool;
    private readonly Generator generator;
    private bool dropoutOff;

    /// <param name="architecture">The network's shape.</param>
    /// <param name="seed">Seeds the initial weights and the dropout masks drawn while training.</param>
    public VictimNetwork(VictimArchitecture architecture, long seed = 0)
        : base(nameof(VictimNetwork))
    {
        Architecture = architecture;
        generator = new Generator((ulong)seed);
        var widths = architecture.ConvWidths;
        conv1 = nn.Conv2d(3, widths[0], 3);
        bn1 = nn.BatchNorm2d(widths[0], eps: VictimArchitecture.BatchNormEpsilon);
        conv2 = nn.Conv2d(widths[0], widths[1], 3);
        bn2 = nn.BatchNorm2d(widths[1], eps: VictimArchitecture.BatchNormEpsilon);
        conv3 = nn.Conv2d(widths[1], widths[2], 3);
        bn3 = nn.BatchNorm2d(widths[2], eps: VictimArchitecture.BatchNormEpsilon);
        dense1 = nn.Linear(architecture.FlattenedFeatures, architecture.DenseUnits);
        bn4 = nn.BatchNorm1d(architecture.DenseUnits, eps: VictimArchitecture.BatchNormEpsilon);
        dense2 = nn.Linear(architecture.DenseUnits, 2);
        pool = nn.MaxPool2d(2);
        RegisterComponents();
        Initialize();
    }

    public VictimArchitecture Architecture { get; }

    public override Tensor forward(Tensor input)
    {
        // Intermediates belong to the caller's dispose scope (every caller runs inside one), so they
        // stay alive until the caller's backward pass and step are done.
        var x = Block(input, conv1, bn1);
        x = Block(x, conv2, bn2);
        x = Block(x, conv3, bn3);
        x = x.flatten(1);
        x = Dropout(bn4.call(nn.functional.relu(dense1.call(x))), DenseDropout);
        return dense2.call(x);
    }

    /// <summary>
    /// Replaces the BatchNorm running statistics with exact averages over <paramref name="batches"/>
    /// (BatchNorm in training mode, dropout off, no gradients), then leaves the network in eval mode.
    /// Each batch (at least 2 images) is disposed once used.
    /// Short trainings with Adam move the weights faster than the running averages (momentum 0.1)
    /// follow, so without this the eval-mode network can collapse to one class.
    /// </summary>
    public void RecalibrateBatchNorm(IEnumerable<Tensor> batches)
    {
        var norms = new BatchNorm[] { bn1, bn2, bn3, bn4 };
        using var noGrad = no_grad();
        foreach (var norm in norms)
        {
            norm.reset_running_stats();
            norm.momentum = null;
        }

        train();
        dropoutOff = true;
        try
        {
            foreach (var batch in batches)
            {
                using var owned = batch;
                using var scope = NewDisposeScope();
                forward(batch);
            }
        }
        finally
        {
            dropoutOff = false;
            foreach (var norm in norms)
            {
                norm.momentum = 0.1;
            }

            eval();
        }
    }

    /// <summary>
    /// The module's 3×3 'valid' convolution by libtorch, on CPUs with channels-last (NHWC) memory.
    /// A single image of at most <see cref="SingleImageNativeKernelLimit"/> elements is convolved as
    /// the first of two (the second all zeros) so that it runs oneDNN's kernel like every batch does:
    /// libtorch would otherwise pick another kernel for it, whose float32 rounding differs, and an
    /// attack run alone would drift from the same attack run in a fused batch.
    /// </summary>
    public static Tensor Convolve(Tensor input, Conv2d conv)
    {
        var x = input.device_type == DeviceType.CPU ? ChannelsLast(input) : input;
        if (x.shape[0] != 1 || x.numel() > SingleImageNativeKernelLimit)
        {
            return conv.call(x);
        }

        return conv.call(cat([x, zeros_like(x)])).narrow(0, 0, 1);
    }

    /// <summary>The same values in channels-last memory order (no copy when already in it).</summary>
    private static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    private Tensor Block(Tensor x, Conv2d conv, BatchNorm2d norm) =>
        Dropout(pool.call(norm.call(nn.functional.relu(Convolve(x, conv)))), BlockDropout);

    private Tensor Dropout(Tensor x, double probability)
    {
        if (!training || dropoutOff)
        {
            return x;
        }

        using var dropped = probability.ToScalar();
        using var kept = (1 - probability).ToScalar();
        var keep = rand(x.shape, generator: generator, device: x.device).ge_(dropped).to_type(x.dtype);
        return (x * keep).div(kept);
    }

    private void Initialize()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (weight, bias) in new[] { (conv1.weight, conv1.bias), (conv2.weight, conv2.bias), (conv3.weight, conv3.bias), (dense1.weight, dense1.bias), (dense2.weight, dense2.bias) })
        {
            var bound = 1.0 / Math.Sqrt(weight!.shape.Skip(1).Aggregate(1L, (a, b) => a * b));
            foreach (var tensor in new[] { weight, bias! })
            {
                using var width = (2 * bound).ToScalar();
                using var low = bound.ToScalar();
                tensor.copy_(rand(tensor.shape, generator: generator).mul(width).sub(low));
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            conv2.Dispose();
            bn2.Dispose();
            conv3.Dispose();
            bn3.Dispose();
            dense1.Dispose();
            bn4.Dispose();
            dense2.Dispose();
            pool.Dispose();
            generator.Dispose();
        }

        base.Dispose(disposing);
    }
}
