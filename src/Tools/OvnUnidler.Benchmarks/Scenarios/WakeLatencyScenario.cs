using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Benchmarks.Pipeline;
using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.Lab.Cluster;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// Issue 6, benchmark 2: N wakes (default 1,000), one at a time, each from one row inserted into a
/// real Southbound, timed from the insert to the scale request arriving at the Kubernetes API double.
/// </summary>
public sealed class WakeLatencyScenario : IBenchmarkScenario
{
    public string Name => "wake-latency";

    public string Description => "1,000 wakes: row insert -> scale request at the API, p50/p99/max";

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var wakes = context.Rows ?? 1_000;
        await using var stack = await BenchmarkStack.StartAsync(cancellationToken);
        context.Progress($"creating {wakes:N0} idled Services");
        await stack.CreateServicesAsync(wakes, idled: true, cancellationToken);
        await using var unidler = OperatorProcess.Start(stack.OperatorEnvironment(), context.OperatorLog(Name));
        await unidler.WaitUntilReadyAsync(TimeSpan.FromMinutes(2), cancellationToken);

        var latencies = new List<double>(wakes);
        var serviceReads = new List<double>(wakes);
        var scaleReads = new List<double>(wakes);
        for (var i = 0; i < wakes; i++)
        {
            var name = BenchmarkStack.ServiceName(i);
            var inserted = DateTimeOffset.UtcNow;
            await stack.InsertEventsAsync([(BenchmarkStack.Vip(i), null, i + 1)], cancellationToken);
            var scale = await stack.Api.Requests.WaitForAsync(
                request => request.Verb == "update" && request.Subresource == "scale" && request.Name == name, TimeSpan.FromSeconds(30), cancellationToken);
            latencies.Add((scale.Time - inserted).TotalMilliseconds);
            // Where the time goes: the waker's fresh read of the Service, then of the scale subresource.
            var requests = stack.Api.Requests.Where(request => request.Name == name && request.Time >= inserted);
            serviceReads.Add((requests.First(request => request.Verb == "get" && request.Resource == "services").Time - inserted).TotalMilliseconds);
            scaleReads.Add((requests.First(request => request.Verb == "get" && request.Subresource == "scale").Time - inserted).TotalMilliseconds);
        }

        latencies.Sort();
        serviceReads.Sort();
        scaleReads.Sort();
        context.Progress($"p50 {Percentile(latencies, 0.50):0.00} ms, p99 {Percentile(latencies, 0.99):0.00} ms, max {latencies[^1]:0.00} ms");
        return
        [
            new("wakes", wakes, "wakes"),
            new("insert -> Service read p50", Percentile(serviceReads, 0.50), "ms", "row seen, mapped, wake started"),
            new("insert -> scale read p50", Percentile(scaleReads, 0.50), "ms"),
            new("insert -> scale request p50", Percentile(latencies, 0.50), "ms"),
            new("insert -> scale request p99", Percentile(latencies, 0.99), "ms") { Target = 20 },
            new("insert -> scale request max", latencies[^1], "ms"),
            new("operator RSS after the run", Statistics.Megabytes(unidler.ResidentBytes), "MB"),
        ];
    }

    private static double Percentile(List<double> sorted, double quantile) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
}
