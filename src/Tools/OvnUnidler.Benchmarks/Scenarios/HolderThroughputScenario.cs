using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.Holding;
using OvnUnidler.Holding.Observability;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// Issue 16: what the connection holder's relay costs a held connection. A bulk transfer from a
/// client to a server on loopback, once directly and once through a real ConnectionHolder holding
/// the server's Service, alternating, several rounds; medians in MB/s, and the managed bytes the
/// process allocated per relayed MiB (the relay's pumps use pooled buffers, so it should be near 0).
/// --rows N sets the MiB per transfer (default 256), --repeat N the rounds (at least 5).
/// </summary>
public sealed class HolderThroughputScenario : IBenchmarkScenario
{
    private const int ChunkBytes = 64 * 1024;
    private static readonly HeldPort Port = new("bulk", HeldProtocol.Tcp);

    public string Name => "holder-throughput";

    public string Description => "bulk TCP transfer on loopback through the connection holder's relay vs direct: MB/s, medians of >= 5 rounds";

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var megabytes = context.Rows ?? 256;
        var bytes = megabytes * 1024L * 1024L;
        var rounds = Math.Max(context.Repeat, 5);
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen(16);
        var serverEndpoint = (IPEndPoint)server.LocalEndPoint!;
        var options = new HoldingOptions { ListenAddress = "127.0.0.1", FirstPort = 32100, LastPort = 32299 };
        await using var holder = new ConnectionHolder(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<ConnectionHolder>.Instance, NullHoldingObserver.Instance);
        var held = holder.Hold(new HoldRequest("benchmark/bulk", [Port], DateTimeOffset.UtcNow.AddHours(1)))
            ?? throw new InvalidOperationException($"no free port in {options.FirstPort}-{options.LastPort} for the holder");
        held.SetReadyEndpoints(Port, [serverEndpoint]);
        var relayEndpoint = held.Listeners[Port];
        context.Progress($"holder-throughput: {megabytes} MiB per transfer, {rounds} rounds; server {serverEndpoint}, holder {relayEndpoint}");

        // One unmeasured transfer each way warms the JIT and the sockets' paths.
        await TransferAsync(server, serverEndpoint, 16L * 1024 * 1024, cancellationToken);
        await TransferAsync(server, relayEndpoint, 16L * 1024 * 1024, cancellationToken);

        var direct = new List<double>();
        var relayed = new List<double>();
        var relayAllocated = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            direct.Add(await TransferAsync(server, serverEndpoint, bytes, cancellationToken));
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            relayed.Add(await TransferAsync(server, relayEndpoint, bytes, cancellationToken));
            relayAllocated.Add((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)megabytes);
            context.Progress(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: direct {direct[^1]:0} MB/s, through the holder {relayed[^1]:0} MB/s"));
        }

        await held.EndAsync(HoldEnd.Drained);
        var note = $"{megabytes} MiB client -> server on loopback, {rounds} rounds; {Environment.ProcessorCount} CPUs";
        return
        [
            new("direct, median", Statistics.Median(direct), "MB/s", note) { HigherIsBetter = true },
            new("through the holder, median", Statistics.Median(relayed), "MB/s", note) { HigherIsBetter = true },
            new("through the holder / direct", 100 * Statistics.Median(relayed) / Statistics.Median(direct), "%"),
            // A copy per relayed byte would allocate about 1,048,576 B/MiB; the pumps' pooled buffers leave per-connection state only.
            new("managed bytes allocated per relayed MiB, median", Statistics.Median(relayAllocated), "B/MiB",
                $"whole process during the relayed transfer (client, server, relay); relay buffer {options.RelayBufferBytes / 1024} KiB each way") { Target = 4096 },
        ];
    }

    /// <summary>Sends <paramref name="bytes"/> to the server through <paramref name="target"/> and waits for its acknowledgement; MB/s.</summary>
    private static async Task<double> TransferAsync(Socket server, IPEndPoint target, long bytes, CancellationToken cancellationToken)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var clock = Stopwatch.StartNew();
        await client.ConnectAsync(target, cancellationToken);
        using var accepted = await server.AcceptAsync(cancellationToken);
        var sink = SinkAsync(accepted, cancellationToken);
        var chunk = new byte[ChunkBytes];
        for (var sent = 0L; sent < bytes;)
        {
            var size = (int)Math.Min(chunk.Length, bytes - sent);
            sent += await client.SendAsync(chunk.AsMemory(0, size), SocketFlags.None, cancellationToken);
        }

        client.Shutdown(SocketShutdown.Send);
        var received = await sink;
        if (received != bytes)
        {
            throw new InvalidOperationException($"the server received {received} of {bytes} bytes");
        }

        // The server's one-byte acknowledgement, then its close: the transfer is complete end to end.
        var ack = new byte[1];
        if (await client.ReceiveAsync(ack, SocketFlags.None, cancellationToken) != 1)
        {
            throw new InvalidOperationException("no acknowledgement from the server");
        }

        return Statistics.Megabytes(bytes) / clock.Elapsed.TotalSeconds;
    }

    private static async Task<long> SinkAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkBytes];
        var total = 0L;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                await socket.SendAsync(new byte[] { 1 }, SocketFlags.None, cancellationToken);
                socket.Shutdown(SocketShutdown.Send);
                return total;
            }

            total += read;
        }
    }
}
