using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Lab.Processes;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Benchmarks.Scenarios;

public sealed partial class OvsdbMonitorScenario
{
    /// <summary>(a): a fresh client, connect, the operator's monitor, until every row is a typed row handed to the handler.</summary>
    private static async Task<ClientRun> MeasureClientAsync(OvsdbServer server, int rows, CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var handed = 0;
        var sampler = ManagedMemorySampler.Start();
        var stopwatch = Stopwatch.StartNew();
        await using var client = new OvsdbClient(new OvsdbClientOptions { Remote = server.UnixRemote });
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), (batch, _) =>
        {
            handed += batch.Changes.Count(change => change.New is not null);
            return ValueTask.CompletedTask;
        });
        await client.StartAsync(cancellationToken);
        await monitor.WaitForInitialAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        var elapsed = stopwatch.Elapsed;
        var peak = sampler.Stop();
        var after = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocatedDuring = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        if (handed != rows || monitor.Rows.Count != rows)
        {
            throw new InvalidOperationException($"the monitor materialised {monitor.Rows.Count} rows and handed {handed}, expected {rows}");
        }

        var sample = monitor.Rows.Values.First();
        if (sample.EventInfo.Count != 3 || sample.SeqNum <= 0 || sample.EventType != ControllerEventRow.EmptyLbBackends)
        {
            throw new InvalidOperationException($"a row was not read whole: {sample}");
        }

        GC.KeepAlive(monitor);
        return new ClientRun(elapsed, peak - baseline, retained, allocatedDuring,
            (after.Item1 - collections.Item1, after.Item2 - collections.Item2, after.Item3 - collections.Item3));
    }

    /// <summary>(b): `ovsdb-client -f json transact unix:SB '[select]'`, its output to a file, wall time of the process.</summary>
    private static async Task<SelectRun> MeasureOvsdbClientSelectAsync(OvsdbServer server, string outputFile, int rows, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[]
        {
            "-c", "exec \"$0\" -f json transact \"$1\" \"$2\" > \"$3\"",
            ExecutableLocator.Find("ovsdb-client"), server.UnixRemote,
            """["OVN_Southbound",{"op":"select","table":"Controller_Event","where":[]}]""", outputFile,
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start ovsdb-client");
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        var elapsed = stopwatch.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ovsdb-client exited with {process.ExitCode}");
        }

        await using (var output = File.OpenRead(outputFile))
        {
            using var document = await JsonDocument.ParseAsync(output, cancellationToken: cancellationToken);
            var selected = document.RootElement[0].GetProperty("rows").GetArrayLength();
            if (selected != rows)
            {
                throw new InvalidOperationException($"ovsdb-client selected {selected} rows, expected {rows}");
            }
        }

        return new SelectRun(elapsed, new FileInfo(outputFile).Length);
    }

    /// <summary>The size of the monitor reply (a) receives, read off a raw socket with the same request, outside the timed runs.</summary>
    private static async Task<long> MeasureMonitorReplyBytesAsync(string socketPath, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var request = $$$"""{"id":1,"method":"monitor_cond_since","params":["OVN_Southbound","size",{"Controller_Event":[{"columns":["chassis","event_info","event_type","seq_num"],"where":[["event_type","==","empty_lb_backends"]]}]},"{{{Guid.Empty}}}"]}""";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellationToken);
        var framer = new JsonStreamFramer(sinkFor: _ => new DiscardingSink());
        long total = 0;
        while (true)
        {
            var read = await stream.ReadAsync(framer.GetWriteMemory(), cancellationToken);
            if (read == 0)
            {
                throw new InvalidOperationException("the server closed the connection before the monitor reply ended");
            }

            total += read;
            framer.Advance(read);
            if (framer.TryRead(out var message) && message.NumericId == 1)
            {
                return total - framer.BufferedBytes;
            }
        }
    }

    private sealed record ClientRun(TimeSpan Elapsed, long PeakBytes, long RetainedBytes, long AllocatedBytes, (int Gen0, int Gen1, int Gen2) Collections);

    private sealed record SelectRun(TimeSpan Elapsed, long OutputBytes);

    private sealed class DiscardingSink : IJsonRpcResultSink
    {
        public int TableUpdatesIndex => 2;

        public void OnResultElement(int index, ReadOnlySpan<byte> json)
        {
        }

        public void OnRowUpdate(string table, Guid uuid, ReadOnlyMemory<byte> rowUpdate)
        {
        }
    }
}
