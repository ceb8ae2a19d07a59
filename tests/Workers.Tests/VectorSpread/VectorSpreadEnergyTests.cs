using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.VectorSpread;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>
/// The energy method is the Riesz s-energy: at s = 1 (the Thomson problem) it finds the tetrahedron,
/// the octahedron and the icosahedron, with their Coulomb energies; it leaves the saddle that the
/// tangential-force objective settles on; and its reported objective is −(N/2s)·log of the energy.
/// </summary>
public sealed class VectorSpreadEnergyTests
{
    public static TheoryData<int> Polyhedra() => [4, 6, 12];

    /// <summary>
    /// Fixed s = 1, one start per trial, eight seeds, 3,000 iterations with a slower decay than the
    /// default (the Coulomb energy is flat near its minimum): every trial ends on the polyhedron (its
    /// minimum angle to 0.01°) with the polyhedron's Coulomb energy Σ 1/d_ij (to 1e-4, relative).
    /// </summary>
    [Theory]
    [MemberData(nameof(Polyhedra))]
    public void RunFused_ThomsonProblem_FindsThePlatonicSolid(int vectors)
    {
        var parameters = SpreadTrials.Bind(
            ("vectors", vectors), ("dims", 3), ("energy_s", 1.0), ("energy_s_final", 1.0), ("restarts", 1),
            ("iterations", 3000), ("lr_decay", 0.9));

        var outcomes = SpreadTrials.Run(Enumerable.Range(0, 8).Select(seed => new TrialInput(parameters, seed)).ToArray());

        var solid = PlatonicSolid(vectors);
        Assert.All(outcomes, outcome =>
        {
            Assert.Equal(ReferenceSpread.MinAngleDegrees([.. solid.Select(p => p.Select(x => (float)x).ToArray())]), outcome.Metrics["min_angle_deg"], 0.01);
            var energy = Math.Exp(-outcome.Metrics["objective"] * 2 / vectors);
            Assert.Equal(CoulombEnergy(solid), energy, CoulombEnergy(solid) * 1e-4);
            Assert.Equal(CoulombEnergy(SpreadTrials.Vectors(outcome)), energy, energy * 1e-4);
        });
    }

    /// <summary>
    /// Four vectors start a hair (1e-3) off a square on a great circle: a force equilibrium, so a
    /// maximum of the tangential-force objective, and a saddle of the energy. Tangential-force stays
    /// there (90°); energy descends to the tetrahedron (109.47°).
    /// </summary>
    [Fact]
    public void Run_NearTheSquareSaddle_EnergyLeavesItAndTangentialForceStays()
    {
        float[] square = [1, 0, 0.001f, 0, 1, -0.001f, -1, 0, 0.001f, 0, -1, -0.001f];
        var energy = SpreadTrials.Bind(("vectors", 4), ("dims", 3), ("restarts", 1));
        var force = SpreadTrials.Bind(("vectors", 4), ("dims", 3), ("method", VectorSpreadDefinition.TangentialForce));

        var fromEnergy = SpreadTrials.RunWith(VectorSpreadExperiment.Program.Auto, square, new TrialInput(energy, 1))[0];
        var fromForce = SpreadTrials.RunWith(VectorSpreadExperiment.Program.Auto, square, new TrialInput(force, 1))[0];

        Assert.Equal(109.47122063449069, fromEnergy.Metrics["min_angle_deg"], 0.01);
        Assert.InRange(fromForce.Metrics["min_angle_deg"], 89.0, 91.0);
    }

    /// <summary>The objective equals −(N/2s)·log Σ_{i&lt;j} ‖u_i − u_j‖^(−s) of the final vectors, at the final s.</summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(12.0)]
    [InlineData(300.0)]
    public void RunFused_Energy_ObjectiveIsTheScaledLogOfTheRieszEnergy(double exponent)
    {
        var parameters = SpreadTrials.Bind(
            ("vectors", 9), ("dims", 3), ("energy_s", exponent), ("energy_s_final", exponent), ("restarts", 1), ("iterations", 40));

        var outcome = SpreadTrials.RunOne(parameters, 3);

        var vectors = SpreadTrials.Vectors(outcome);
        var expected = -(vectors.Length / (2 * exponent)) * LogRieszEnergy(vectors, exponent);
        Assert.Equal(expected, outcome.Metrics["objective"], Math.Abs(expected) * 1e-4);
    }

    private static double CoulombEnergy(IReadOnlyList<IReadOnlyList<float>> points) => Math.Exp(LogRieszEnergy(points, 1));

    private static double CoulombEnergy(double[][] points) =>
        CoulombEnergy(points.Select(p => (IReadOnlyList<float>)p.Select(x => (float)x).ToArray()).ToArray());

    /// <summary>log Σ_{i&lt;j} d_ij^(−s) in double precision, around the smallest distance.</summary>
    private static double LogRieszEnergy(IReadOnlyList<IReadOnlyList<float>> points, double s)
    {
        var unit = points.Select(p => { var l = Math.Sqrt(p.Sum(x => (double)x * x)); return p.Select(x => x / l).ToArray(); }).ToArray();
        var logs = new List<double>();
        for (var i = 0; i < unit.Length; i++)
        {
            for (var j = i + 1; j < unit.Length; j++)
            {
                logs.Add(-s * Math.Log(Math.Sqrt(unit[i].Zip(unit[j], (a, b) => (a - b) * (a - b)).Sum())));
            }
        }

        var top = logs.Max();
        return top + Math.Log(logs.Sum(x => Math.Exp(x - top)));
    }

    private static double[][] PlatonicSolid(int vertices)
    {
        var phi = (1 + Math.Sqrt(5)) / 2;
        double[][] points = vertices switch
        {
            4 => [[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
            6 => [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]],
            12 => [.. new[] { -1.0, 1.0 }.SelectMany(a => new[] { -phi, phi }.SelectMany(b => new double[][] { [0, a, b], [a, b, 0], [b, 0, a] }))],
            _ => throw new ArgumentOutOfRangeException(nameof(vertices)),
        };
        return [.. points.Select(p => { var l = Math.Sqrt(p.Sum(x => x * x)); return p.Select(x => x / l).ToArray(); })];
    }
}
