using System.Net;
using System.Net.Sockets;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>Free loopback ports for the processes a test starts (never fixed ones).</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string NextText() => Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
