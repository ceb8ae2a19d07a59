using global::Orleans.Configuration;

namespace GradDescent.Hosting.Orleans;

/// <summary>
/// Orleans failure detection for GradDescent's control plane: a handful of silos (production runs two) on one network,
/// where a silo killed with SIGKILL (an OOM kill, a node lost) holds the sweep grains every worker waits on. Orleans'
/// defaults suit clusters of dozens of silos: a 5 s probe timeout (three missed probes before the survivor votes the
/// dead silo out); with them, and workers backing off up to 5 s, the chaos suite measured 13.9–15.6 s from the kill to
/// the sweep grain running on the survivor (TwoSiloChaosTests, docs/architecture.md "Failure recovery").
/// <para>
/// Here: <see cref="ClusterOptions.ProbeTimeout"/> (2 s by default, and no probe times out sooner) with three missed
/// probes: at most about 6 s to suspect a silo (a killed one refuses connections, so its probes fail at once; 2–5 s were
/// measured). The trade-off: a silo that stalls for longer than that (a long GC pause, an overloaded node) is voted
/// dead and stops itself, and its sweeps move to the other silo; Orleans stretches the timeout up to four times on a
/// silo that sees its own health degrade, and the stopped silo restarts (Kubernetes) and rejoins. With two silos one
/// vote declares death (Orleans asks for at most half of the live silos), so both never have to agree.
/// </para>
/// <para>
/// The table is re-read every 10 s instead of 60 s, so silos that did not vote learn of a death or a join soon after
/// (one small query per silo). Dead silos' rows stay bounded by Orleans' own clean-up (at most 25 defunct rows).
/// </para>
/// </summary>
public static class SmallControlPlaneMembership
{
    /// <summary>Missed probes in a row before a silo votes another dead (Orleans' default, kept: fewer false deaths).</summary>
    public const int MissedProbesLimit = 3;

    /// <summary>How often a silo re-reads the membership table.</summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(10);

    public static void Apply(ClusterMembershipOptions membership, ClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(cluster);
        membership.ProbeTimeout = cluster.ProbeTimeout;
        // Orleans adapts each probe's timeout to the answers seen, down to half of ProbeTimeout by default: 1 s, which a
        // healthy silo on an overloaded 2-core machine missed three times in a row in the two-silo chaos test (a false
        // death). Never below ProbeTimeout; up to four times it (Orleans' default) while answers come slowly. A killed
        // silo's probes fail at once (connection refused), so this costs nothing in recovery from SIGKILL.
        membership.MinProbeTimeout = cluster.ProbeTimeout;
        membership.NumMissedProbesLimit = MissedProbesLimit;
        membership.TableRefreshTimeout = TableRefreshTimeout;
    }
}
