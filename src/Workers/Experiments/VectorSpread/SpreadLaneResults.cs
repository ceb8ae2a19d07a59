namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// What a fused run computed for each lane (one restart of one trial), on the host: the per-step
/// series, the final vectors and their metrics. A diverged lane's series hold NaN from the step it
/// diverged at; its vectors are the last finite ones. Each lane also keeps its trajectory (the vectors at up to
/// <see cref="MaxFrames"/> evenly spaced updates, the start included) for the report's animation, unless the group's
/// frames would exceed <see cref="MaxFloats"/> or a lane's <see cref="MaxFloatsPerLane"/>.
/// </summary>
internal sealed class SpreadLaneResults
{
    /// <summary>Most frames of a trajectory: the start and evenly spaced updates up to the last.</summary>
    public const int MaxFrames = 61;

    /// <summary>Largest trajectory of one lane, in floats (about 1 MB of JSON per trial, under the store's artefact cap).</summary>
    public const long MaxFloatsPerLane = 100_000;

    /// <summary>Largest trajectory memory of a whole fused group, in floats (16 MB; the batch's results travel in one message).</summary>
    public const long MaxFloats = 4_000_000;

    private readonly Dictionary<int, int> frameAt = [];

    public SpreadLaneResults(int lanes, int iterations, int vectors, int dims)
    {
        (Vectors, Dims) = (vectors, dims);
        Angles = NewSeries(lanes, iterations);
        Objectives = NewSeries(lanes, iterations);
        FinalAngle = new float[lanes];
        FinalObjective = new float[lanes];
        FinalVectors = new float[lanes * vectors * dims];

        var frames = Math.Min(MaxFrames, iterations + 1);
        var perLane = (long)frames * vectors * dims;
        if (frames > 1 && perLane <= MaxFloatsPerLane && perLane * lanes <= MaxFloats)
        {
            FrameSteps = [.. Enumerable.Range(0, frames).Select(i => (int)Math.Round((double)i * iterations / (frames - 1))).Distinct()];
            for (var f = 0; f < FrameSteps.Length; f++)
            {
                frameAt[FrameSteps[f]] = f;
            }

            Frames = new float[lanes][];
            for (var lane = 0; lane < lanes; lane++)
            {
                Frames[lane] = new float[FrameSteps.Length * vectors * dims];
            }
        }
    }

    /// <summary>The update counts whose vectors <see cref="Frames"/> hold (0: the start); empty when not recorded.</summary>
    public int[] FrameSteps { get; } = [];

    /// <summary>[lane][frame, N, D] row-major: the vectors after each of <see cref="FrameSteps"/> updates; null when not recorded.</summary>
    public float[][]? Frames { get; }

    /// <summary>The frame that holds the vectors after <paramref name="updates"/> updates, or −1 when none does.</summary>
    public int FrameAt(int updates) => Frames is not null && frameAt.TryGetValue(updates, out var frame) ? frame : -1;

    public int Vectors { get; }

    public int Dims { get; }

    /// <summary>[lane][step]: minimum pairwise angle in degrees after that step's update.</summary>
    public float[][] Angles { get; }

    /// <summary>[lane][step]: objective after that step's update.</summary>
    public float[][] Objectives { get; }

    public float[] FinalAngle { get; }

    public float[] FinalObjective { get; }

    /// <summary>[lane, N, D] row-major: the final unit vectors.</summary>
    public float[] FinalVectors { get; }

    /// <summary>The first step whose values are NaN (the lane diverged there), or null.</summary>
    public int? DivergedAt(int lane)
    {
        var first = Array.FindIndex(Angles[lane], float.IsNaN);
        return first < 0 ? null : first;
    }

    /// <summary>
    /// Each trial's reported restart: among those that did not diverge (all, if every one did), the
    /// one with the largest final minimum angle; the first such restart on a tie.
    /// </summary>
    public IReadOnlyList<SpreadTrialResult> BestPerTrial(int restarts)
    {
        var trials = FinalAngle.Length / restarts;
        var results = new SpreadTrialResult[trials];
        for (var trial = 0; trial < trials; trial++)
        {
            var best = -1;
            for (var lane = trial * restarts; lane < (trial + 1) * restarts; lane++)
            {
                if (best < 0 || Better(lane, best))
                {
                    best = lane;
                }
            }

            results[trial] = ToTrialResult(best, best - (trial * restarts));
        }

        return results;
    }

    private bool Better(int lane, int best)
    {
        var (diverged, bestDiverged) = (DivergedAt(lane) is not null, DivergedAt(best) is not null);
        if (diverged != bestDiverged)
        {
            return !diverged;
        }

        return FinalAngle[lane] > FinalAngle[best] || (float.IsNaN(FinalAngle[best]) && !float.IsNaN(FinalAngle[lane]));
    }

    private SpreadTrialResult ToTrialResult(int lane, int restart)
    {
        var rows = new float[Vectors][];
        for (var i = 0; i < Vectors; i++)
        {
            rows[i] = FinalVectors.AsSpan(((lane * Vectors) + i) * Dims, Dims).ToArray();
        }

        var divergedStep = DivergedAt(lane);
        var kept = divergedStep ?? Angles[lane].Length;
        return new SpreadTrialResult(
            Angles[lane][..kept], Objectives[lane][..kept], divergedStep, rows, FinalAngle[lane], FinalObjective[lane], restart)
        {
            FrameSteps = FrameSteps,
            Frames = Frames?[lane],
        };
    }

    private static float[][] NewSeries(int lanes, int iterations)
    {
        var series = new float[lanes][];
        for (var lane = 0; lane < lanes; lane++)
        {
            series[lane] = new float[iterations];
        }

        return series;
    }
}
