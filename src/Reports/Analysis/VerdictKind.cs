namespace GradDescent.Reports.Analysis;

/// <summary>What a verdict's headline says.</summary>
public enum VerdictKind
{
    /// <summary>Nothing completed (or no group where every contender did).</summary>
    NoResult,

    /// <summary>One contender only: nothing to compare.</summary>
    Single,

    /// <summary>Several contenders share first place within the practical-equivalence margin (or equal mean ranks).</summary>
    Tie,

    /// <summary>One contender leads beyond the margin (across groups: ahead of the runner-up in every group).</summary>
    Lead,

    /// <summary>Across groups: the best mean rank, but not ahead of the runner-up everywhere.</summary>
    Mixed,
}
