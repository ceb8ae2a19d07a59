namespace GradDescent.Hosting.Tls;

/// <summary>A TLS setting or file is unusable; the message starts with the setting's key (<c>GradDescent:Cluster:Tls:KeyPath: ...</c>).</summary>
public sealed class ClusterTlsException(string message) : Exception(message);
