using System.Globalization;
using System.Net;
using OvnUnidler.Lab.Network;

namespace OvnUnidler.Lab.Traffic;

/// <summary>
/// Starts the project's pod programs (src/Tools/OvnUnidler.Lab.Pods, built beside every user of
/// the lab) inside lab pods: the server a workload pod runs and the UDP client of a client pod.
/// </summary>
public static class PodPrograms
{
    /// <summary>
    /// The lab pods' HTTP port and so their Services' targetPort: not the operator's own HTTP port
    /// (8080), which in mode observe the holder could not listen on (see ConnectionHolder's preferred ports).
    /// </summary>
    public const int HttpPort = 8000;
    public const int UdpPort = 5353;

    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        // Many short-lived small processes: no tiered-PGO instrumentation, a workstation GC.
        ["DOTNET_TieredPGO"] = "0",
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_GCHeapHardLimit"] = "0x4000000",
    };

    public static string Assembly
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "OvnUnidler.Lab.Pods.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("OvnUnidler.Lab.Pods.dll is not beside the lab; build the project that uses the lab", path);
        }
    }

    /// <summary>
    /// HTTP on <paramref name="httpPort"/> (default <see cref="HttpPort"/>) answering 200 with
    /// <paramref name="name"/> (or N bytes for GET /bytes/N), UDP echo on <paramref name="udpPort"/>
    /// (default <see cref="UdpPort"/>), after <paramref name="startDelay"/>. Other ports let it run
    /// beside another server in one pod.
    /// </summary>
    public static PodProcess StartServer(LabPod pod, string name, TimeSpan startDelay, int httpPort = HttpPort, int udpPort = UdpPort)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Start("dotnet",
        [
            Assembly, "serve", "--name", name,
            "--delay", startDelay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "--http-port", httpPort.ToString(CultureInfo.InvariantCulture),
            "--udp-port", udpPort.ToString(CultureInfo.InvariantCulture),
        ], Environment);
    }

    /// <summary>The UDP client: a query to <paramref name="target"/> every <paramref name="interval"/> until the first answer.</summary>
    public static PodProcess StartUdpQuery(LabPod pod, IPEndPoint target, TimeSpan interval, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(target);
        return pod.Start("dotnet",
        [
            Assembly, "udp-query", "--target", target.ToString(),
            "--interval", interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "--timeout", timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        ], Environment);
    }
}
