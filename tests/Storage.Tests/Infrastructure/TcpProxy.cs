using System.Net;
using System.Net.Sockets;

namespace GradDescent.Storage.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder in front of the test PostgreSQL, which a test can take down and bring back on the same
/// port: while it is down, connections are refused and open ones are cut, as during a database restart.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly List<TcpClient> connections = [];
    private TcpListener? listener;
    private CancellationTokenSource? running;
    private Task? accepting;

    public TcpProxy(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    /// <summary>Starts accepting (again) on <see cref="Port"/>.</summary>
    public void Start()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        running = new CancellationTokenSource();
        accepting = AcceptAsync(listener, running.Token);
    }

    /// <summary>Stops accepting and cuts every forwarded connection.</summary>
    public async Task StopAsync()
    {
        if (listener is null)
        {
            return;
        }

        await running!.CancelAsync();
        listener.Stop();
        await accepting!;
        lock (connections)
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }

            connections.Clear();
        }

        listener = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(TcpListener server, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await server.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(targetHost, targetPort, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            lock (connections)
            {
                connections.Add(client);
                connections.Add(upstream);
            }

            _ = PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // The other side (or StopAsync) closed the connection.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
