namespace GradDescent.Reports.Analysis;

/// <summary>The contenders of one problem group (e.g. 20 vectors in 3-D), best first; unranked ones (nothing completed) last.</summary>
/// <param name="Group">The group's label; empty when the sweep has one group.</param>
/// <param name="Values">The problem parameters' values of the group.</param>
/// <param name="Contenders">Ranked contenders first (by rank, then mean), then the unranked.</param>
/// <param name="Complete">Every contender of the sweep has a completed result here, so the group counts towards the overall ranking.</param>
public sealed record GroupRanking(string Group, IReadOnlyDictionary<string, string> Values, IReadOnlyList<ContenderResult> Contenders, bool Complete)
{
    public IReadOnlyList<ContenderResult> Ranked => [.. Contenders.Where(c => c.Ranked)];

    /// <summary>The contenders sharing rank 1 (several: a tie).</summary>
    public IReadOnlyList<ContenderResult> Leaders => [.. Contenders.Where(c => c.Rank == 1)];

    public ContenderResult? Find(string contender) => Contenders.FirstOrDefault(c => c.Contender == contender);
}
