using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>How a TLS connection without a client certificate ended.</summary>
/// <param name="ServerCertificate">The DER bytes of the certificate the server presented, or null when it presented none.</param>
/// <param name="Refusal">How the server ended the connection (the handshake's or the first read's error, or "closed").</param>
public sealed record TlsProbeResult(byte[]? ServerCertificate, string Refusal);

/// <summary>
/// A TLS 1.3 client without a certificate, written against a cluster port to see what it speaks: the certificate the
/// server presents, and that it ends the connection of a client that has none, as a port requiring mutual TLS must,
/// before a byte of Orleans. A plain (non-TLS) port presents no certificate; a port that let the client in would wait
/// for the Orleans preamble, so the probe times out.
/// </summary>
public static class TlsProbe
{
    public static async Task<TlsProbeResult> ConnectWithoutCertificateAsync(IPEndPoint endpoint, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        byte[]? presented = null;
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endpoint, cancel.Token);
            await using var tls = new SslStream(tcp.GetStream());
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = "graddescent",
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate?.GetRawCertData();
                    return true;
                },
            };
            await tls.AuthenticateAsClientAsync(options, cancel.Token);

            // In TLS 1.3 the client's side of the handshake ends before the server has judged the (missing) client
            // certificate; its verdict arrives with the first read, as an alert or the end of the stream.
            var read = await tls.ReadAsync(new byte[1], cancel.Token);
            return read == 0
                ? new TlsProbeResult(presented, "closed")
                : throw new InvalidOperationException($"{endpoint} sent data to a TLS client without a certificate");
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
        {
            return new TlsProbeResult(presented, $"{e.GetType().Name}: {e.Message}");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"{endpoint} neither refused nor closed a TLS connection without a client certificate within {timeout}");
        }
    }
}
