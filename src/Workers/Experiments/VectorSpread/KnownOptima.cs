namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The largest achievable minimum pairwise angle of N unit vectors in D dimensions, where it is
/// known in closed form. Cases, in order of precedence (they agree wherever they overlap):
/// <list type="number">
/// <item>D = 2: N equally spaced directions on the circle, 360°/N (N = 2: 180°, 3: 120°, 4: 90°).</item>
/// <item>N ≤ D + 1: the regular simplex on N vertices, arccos(−1/(N−1)); it spans only N−1
/// dimensions, so it fits. Bound: 0 ≤ ‖Σ v_i‖² = N + Σ_{i≠j} cos θ_ij, so some pair has
/// cos θ ≥ −1/(N−1). Hence N = 2 gives 180°, N = 3 gives 120° and N = 4 gives 109.47° in any
/// D ≥ N−1; the often quoted "N ≤ D → 90°" (orthogonal vectors) is achievable but not optimal
/// for any N ≥ 2.</item>
/// <item>D + 1 &lt; N ≤ 2D: 90° (Rankin 1955: more than D+1 vectors always have a pair at ≤ 90°,
/// and up to 2D fit at exactly 90° as ±e_k). This covers N = 2D, the cross-polytope.</item>
/// <item>Otherwise (N &gt; 2D, D ≥ 3) the optimum is the Tammes / spherical-code problem, known only
/// case by case: null.</item>
/// </list>
/// </summary>
public static class KnownOptima
{
    /// <returns>The optimal minimum pairwise angle in degrees, or null when no closed form is known.</returns>
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

        return null;
    }

    private static double Degrees(double radians) => radians * (180.0 / Math.PI);
}
