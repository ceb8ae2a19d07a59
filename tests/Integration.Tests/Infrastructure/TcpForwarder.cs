using System.Net;
using System.Net.Sockets;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>
/// Accepts TCP connections on one endpoint and relays each, byte for byte in both directions, to another: a
/// Service address in a test's pod network standing for a server that listens elsewhere (the test's PostgreSQL
/// on 127.0.0.1).
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly DnsEndPoint target;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> relays = [];
    private readonly Task accepting;

    private TcpForwarder(TcpListener listener, DnsEndPoint target)
    {
        this.listener = listener;
        this.target = target;
        accepting = AcceptAsync();
    }

    /// <summary>Listens on <paramref name="listen"/> (fails, naming it, when the port is taken) and relays to <paramref name="target"/>.</summary>
    public static TcpForwarder Start(IPEndPoint listen, DnsEndPoint target)
    {
        var listener = new TcpListener(listen);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new InvalidOperationException($"cannot listen on {listen} to stand in for a Service ({e.Message})", e);
        }

        return new TcpForwarder(listener, target);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] running;
        lock (relays)
        {
            running = [.. relays];
        }

        await Task.WhenAll(running);
        listener.Dispose();
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (relays)
            {
                relays.RemoveAll(r => r.IsCompleted);
                relays.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(target.Host, target.Port, stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                return;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            var up = client.GetStream().CopyToAsync(server.GetStream(), linked.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), linked.Token);

            // Either side closing (or the forwarder stopping) ends both directions.
            await Task.WhenAny(up, down);
            await linked.CancelAsync();
            client.Close();
            server.Close();
            try
            {
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // The connection ended: nothing more to relay.
            }
        }
    }
}
