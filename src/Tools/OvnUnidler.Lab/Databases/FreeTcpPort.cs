using System.Net;
using System.Net.Sockets;

namespace OvnUnidler.Lab.Databases;

public static class FreeTcpPort
{
    public static int Pick(IPAddress? address = null)
    {
        using var listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
