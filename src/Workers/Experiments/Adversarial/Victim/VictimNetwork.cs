using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// The article's CNN as a TorchSharp module (see <see cref="VictimArchitecture"/>). Input
/// [B, 3, H, W] in [0, 1]; output logits [B, 2] = [cat, dog] (softmax gives the article's outputs).
/// </summary>
public sealed class VictimNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Linear dense1;
    private readonly BatchNorm1d bn4;
    private readonly Linear dense2;
    private readonly Dropout blockDropout;
    private readonly Dropout denseDropout;
    private readonly MaxPool2d pool;

    public VictimNetwork(VictimArchitecture architecture)
        : base(nameof(VictimNetwork))
    {
        Architecture = architecture;
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
        blockDropout = nn.Dropout(0.25);
        denseDropout = nn.Dropout(0.5);
        pool = nn.MaxPool2d(2);
        RegisterComponents();
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
        x = denseDropout.call(bn4.call(nn.functional.relu(dense1.call(x))));
        return dense2.call(x);
    }

    private Tensor Block(Tensor x, Conv2d conv, BatchNorm2d norm) =>
        blockDropout.call(pool.call(norm.call(nn.functional.relu(conv.call(x)))));

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
            blockDropout.Dispose();
            denseDropout.Dispose();
            pool.Dispose();
        }

        base.Dispose(disposing);
    }
}
