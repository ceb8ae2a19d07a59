namespace GradDescent.Deploy.Testing;

/// <summary>What the downward API would tell a pod about itself (for resolving fieldRef variables).</summary>
public sealed record PodFacts(string Name, string Namespace, string Ip, string NodeName = "node-0", string ServiceAccountName = "default");
