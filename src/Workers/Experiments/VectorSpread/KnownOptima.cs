namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The largest achievable (or best known) minimum pairwise angle of N unit vectors in D dimensions.
/// Cases, in order of precedence (they agree wherever they overlap):
/// <list type="number">
/// <item>D = 2: N equally spaced directions on the circle, 360°/N (N = 2: 180°, 3: 120°, 4: 90°).</item>
/// <item>N ≤ D + 1: the regular simplex on N vertices, arccos(−1/(N−1)); it spans only N−1
/// dimensions, so it fits. Bound: 0 ≤ ‖Σ v_i‖² = N + Σ_{i≠j} cos θ_ij, so some pair has
/// cos θ ≥ −1/(N−1). Hence N = 2 gives 180°, N = 3 gives 120° and N = 4 gives 109.47° in any
/// D ≥ N−1; the often quoted "N ≤ D → 90°" (orthogonal vectors) is achievable but not optimal
/// for any N ≥ 2.</item>
/// <item>D + 1 &lt; N ≤ 2D: 90° (Rankin 1955: more than D+1 vectors always have a pair at ≤ 90°,
/// and up to 2D fit at exactly 90° as ±e_k). This covers N = 2D, the cross-polytope.</item>
/// <item>D = 3, 7 ≤ N ≤ 30: the Tammes problem, <see cref="TammesDegrees"/>.</item>
/// <item>Otherwise: null (not known here).</item>
/// </list>
/// </summary>
public static class KnownOptima
{
    /// <summary>Largest N of the 3-D table.</summary>
    public const int TammesTableMax = 30;

    /// <summary>
    /// Best-known Tammes angles in 3-D, in degrees, for N = 7 … 30 (index N − 7), to 7 decimals:
    /// the values of N. J. A. Sloane's tables of spherical packings ("Spherical codes", packings in
    /// dim 3) and H. Cohn's table of spherical codes (data set hdl.handle.net/1721.1/142661), all but
    /// N = 21 reproduced to 1e-7° by our own optimisation, N = 21 to 3e-4° (docs/vector-spread.md). Proven
    /// optimal: N = 7–9 (Schütte and van der Waerden 1951), 10–11 (Danzer 1963), 12 (Fejes Tóth
    /// 1943), 13–14 (Musin and Tarasov 2012, 2015), 24 (Robinson 1961); the others are the best known.
    /// Closed forms: N = 7, cos θ the root in (0, 1) of 3x³ − 9x² − 3x + 1; N = 8, cos θ = (2√2 − 1)/7;
    /// N = 9, cos θ = 1/3; N = 11, 12, tan θ = 2 (the icosahedron); N = 24, the snub cube.
    /// </summary>
    private static readonly double[] TammesDegrees =
    [
        77.8695421, 74.8584922, 70.5287794, 66.1468220, 63.4349488, 63.4349488, // 7–12
        57.1367031, 55.6705700, 53.6578501, 52.2443957, 51.0903285, 49.5566548, // 13–18
        47.6919141, 47.4310362, 45.6132231, 44.7401612, 43.7099642, 43.6907671, // 19–24
        41.6344612, 41.0376616, 40.6776007, 39.3551436, 38.7136512, 38.5971159, // 25–30
    ];

    /// <returns>The optimal (or best known) minimum pairwise angle in degrees, or null when none is known here.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 vectors or 2 dimensions.</exception>
    public static double? MinAngleDegrees(int vectors, int dims)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vectors, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(dims, 2);

        if (dims == 2)
        {
            return 360.0 / vectors;
        }

        if (vectors <= dims + 1)
        {
            return Degrees(Math.Acos(-1.0 / (vectors - 1)));
        }

        if (vectors <= 2L * dims)
        {
            return 90.0;
        }

        if (dims == 3 && vectors <= TammesTableMax)
        {
            return TammesDegrees[vectors - 7];
        }

        return null;
    }

    private static double Degrees(double radians) => radians * (180.0 / Math.PI);
}
