using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Benchmarks.Pipeline;
using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>Issue 6, benchmark 4: start-up time and memory with 20,000 Services and 20,000 NB load balancers indexed.</summary>
public sealed class IndexSizeScenario : IBenchmarkScenario
{
    public string Name => "index-size";

    public string Description => "20,000 Services and 20,000 NB load balancers: start-up time and working set";

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var count = context.Rows ?? 20_000;
        await using var stack = await BenchmarkStack.StartAsync(cancellationToken);
        context.Progress($"creating {count:N0} Services and {count:N0} load balancers");
        await stack.CreateServicesAsync(count, idled: false, cancellationToken);
        await using (var northbound = new OvsdbClient(new OvsdbClientOptions { Remote = stack.Northbound.UnixRemote }))
        {
            await northbound.StartAsync(cancellationToken);
            foreach (var chunk in Enumerable.Range(0, count).Chunk(5_000))
            {
                await northbound.TransactAsync(OvnTables.Northbound, [.. chunk.Select(i => OvsdbOperation.Insert(OvnTables.LoadBalancer, new JsonObject
                {
                    ["name"] = string.Create(CultureInfo.InvariantCulture, $"Service_{BenchmarkStack.NamespaceOf(i)}/{BenchmarkStack.ServiceName(i)}_TCP_cluster"),
                    ["protocol"] = "tcp",
                    ["vips"] = OvsdbWire.Map([new(BenchmarkStack.Vip(i), string.Create(CultureInfo.InvariantCulture, $"10.128.{i / 250}.{(i % 250) + 1}:8080"))]),
                    ["external_ids"] = OvsdbWire.Map([new("k8s.ovn.org/kind", "Service"), new("k8s.ovn.org/owner", $"{BenchmarkStack.NamespaceOf(i)}/{BenchmarkStack.ServiceName(i)}")]),
                }))], cancellationToken);
            }
        }

        var watch = Stopwatch.StartNew();
        await using var unidler = OperatorProcess.Start(stack.OperatorEnvironment(), context.OperatorLog(Name));
        await unidler.WaitUntilReadyAsync(TimeSpan.FromMinutes(5), cancellationToken);
        watch.Stop();
        // Let start-up garbage be collected before reading the steady working set.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var steady = unidler.ResidentBytes;
        context.Progress($"ready after {watch.Elapsed.TotalSeconds:0.000} s; RSS {Statistics.Megabytes(steady):0} MB, peak {Statistics.Megabytes(unidler.PeakResidentBytes):0} MB");
        return
        [
            new("Services and load balancers", count, "each"),
            new("process start -> ready (views synced)", watch.Elapsed.TotalSeconds, "s"),
            new("working set after start-up (VmRSS)", Statistics.Megabytes(steady), "MB") { Target = 200 },
            new("peak working set (VmHWM)", Statistics.Megabytes(unidler.PeakResidentBytes), "MB"),
        ];
    }
}
