using BenchmarkDotNet.Attributes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.VectorSpread;
using TorchSharp;

namespace GradDescent.Bench.Micro;

/// <summary>
/// The practical limit for vector spread on this CPU, for the same 100 trials as
/// <see cref="VectorSpreadBenchmarks"/> and <see cref="EnergyBenchmarks"/> (same starts, learning
/// rates, settings; every step's minimum angle and objective kept): a hand-written scalar float32 loop
/// (<see cref="HandWrittenSpread"/>, one trial after another), and GradDescent's own CPU kernel alone
/// (its SIMD loop over the lanes with the starts ready, no parameter checks, no outcomes). The faster
/// of the two is the limit.
/// </summary>
[MemoryDiagnoser]
public class HandWrittenSpreadBenchmarks
{
    private IReadOnlyList<TrialInput> trials = [];
    private SpreadLanes? lanes;
    private float[] starts = [];

    [Params(100)]
    public int Trials { get; set; }

    [Params("tangential-force", "energy")]
    public string Method { get; set; } = VectorSpreadDefinition.TangentialForce;

    [GlobalSetup]
    public void Setup()
    {
        trials = Method == VectorSpreadDefinition.Energy ? SpreadBenchTrials.Energy(Trials) : SpreadBenchTrials.TangentialForce(Trials);
        var settings = SpreadSettings.From(trials[0].Parameters);
        lanes = new SpreadLanes(settings, trials);
        using var drawn = SpreadStarts.Draw(settings, trials);
        starts = drawn.data<float>().ToArray();
    }

    [Benchmark]
    public float Scalar()
    {
        var (n, d) = (SpreadBenchTrials.Vectors, SpreadBenchTrials.Dims);
        var checksum = 0f;
        for (var t = 0; t < trials.Count; t++)
        {
            var p = trials[t].Parameters;
            var v = starts.AsSpan(t * n * d, n * d).ToArray();
            var (angles, objectives) = (new float[SpreadBenchTrials.Iterations], new float[SpreadBenchTrials.Iterations]);
            var (lr, decay, clip) = ((float)p.GetDouble("learning_rate"), (float)p.GetDouble("lr_decay"), (float)p.GetDouble("clip_norm"));
            checksum += Method == VectorSpreadDefinition.Energy
                ? HandWrittenSpread.Energy(v, n, d, lr, decay, 100, clip, (float)p.GetDouble("energy_s"), (float)p.GetDouble("energy_s_final"), angles, objectives)
                : HandWrittenSpread.TangentialForce(v, n, d, lr, decay, 100, clip, angles, objectives);
        }

        return checksum;
    }

    [Benchmark]
    public float KernelOnly() => new KernelSpreadRun(lanes!, starts).Execute(CancellationToken.None).FinalObjective[0];

    /// <summary>Checks, once before timing, that the scalar loop computes what GradDescent computes.</summary>
    [GlobalSetup(Target = nameof(Scalar))]
    public void SetupAndCheck()
    {
        Setup();
        var (n, d) = (SpreadBenchTrials.Vectors, SpreadBenchTrials.Dims);
        var product = new VectorSpreadExperiment().RunFused([trials[0]], torch.CPU, CancellationToken.None)[0];
        var p = trials[0].Parameters;
        var v = starts.AsSpan(0, n * d).ToArray();
        var (angles, objectives) = (new float[SpreadBenchTrials.Iterations], new float[SpreadBenchTrials.Iterations]);
        var (lr, decay, clip) = ((float)p.GetDouble("learning_rate"), (float)p.GetDouble("lr_decay"), (float)p.GetDouble("clip_norm"));
        _ = Method == VectorSpreadDefinition.Energy
            ? HandWrittenSpread.Energy(v, n, d, lr, decay, 100, clip, (float)p.GetDouble("energy_s"), (float)p.GetDouble("energy_s_final"), angles, objectives)
            : HandWrittenSpread.TangentialForce(v, n, d, lr, decay, 100, clip, angles, objectives);
        var expected = product.History.Single(s => s.Metric == "min_angle_deg").Values;
        for (var step = 0; step < 20; step++)
        {
            if (Math.Abs(expected[step] - angles[step]) > 1e-3f)
            {
                throw new InvalidOperationException($"hand-written {Method} differs from GradDescent at step {step}: {angles[step]} vs {expected[step]}");
            }
        }
    }
}
