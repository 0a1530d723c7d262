using System.Globalization;
using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Benchmarks.Pipeline;
using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.Lab.Cluster;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// Issue 14, point 5: N Services (default 1,000) hit at once, whose pods become ready 30 s after
/// their scale (the API double's simulated controller). A wake slot covers API work only, so every
/// scale request should reach the API within seconds of its row, not in batches of
/// WakeConcurrency one pod start-up apart. Timed from the rows' insert into a real Southbound to each
/// Service's scale request in the double's journal; the operator runs with its default concurrency.
/// </summary>
public sealed class ManyServicesScenario : IBenchmarkScenario
{
    private static readonly TimeSpan PodStartup = TimeSpan.FromSeconds(30);

    // Bounds a run of code that serialises the wakes behind the pods (~N / 16 x 30 s).
    private static readonly TimeSpan ScaleBound = TimeSpan.FromSeconds(120);

    public string Name => "many-services";

    public string Description => "1,000 Services hit at once, pods ready 30 s after scale: row insert -> scale request, all within 3 s";

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var services = context.Rows ?? 1_000;
        await using var stack = await BenchmarkStack.StartAsync(cancellationToken);
        context.Progress($"creating {services:N0} idled Services");
        await stack.CreateServicesAsync(services, idled: true, cancellationToken);
        stack.Api.ControllerManager.ReadyDelay = PodStartup;
        var environment = stack.OperatorEnvironment();
        environment.Remove("Unidler__WakeConcurrency");
        environment["Unidler__BackendsTimeout"] = "00:02:00";
        await using var unidler = OperatorProcess.Start(environment, context.OperatorLog(Name));
        await unidler.WaitUntilReadyAsync(TimeSpan.FromMinutes(2), cancellationToken);

        var inserted = DateTimeOffset.UtcNow;
        await stack.InsertEventsAsync(Enumerable.Range(0, services).Select(i => (BenchmarkStack.Vip(i), (Guid?)null, (long)(i + 1))), cancellationToken);
        context.Progress($"{services:N0} rows inserted; waiting up to {ScaleBound.TotalSeconds:0} s for the scale requests");
        var bound = DateTimeOffset.UtcNow + ScaleBound;
        while (stack.ScaleWrites() < services && DateTimeOffset.UtcNow < bound)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        var firstScale = stack.Api.Requests.Filter(verb: "update", resource: "deployments", subresource: "scale", statusCode: 200)
            .GroupBy(request => request.Name)
            .Select(group => (group.Min(request => request.Time) - inserted).TotalSeconds)
            .Order()
            .ToList();
        context.Progress(string.Create(CultureInfo.InvariantCulture,
            $"{firstScale.Count:N0} of {services:N0} scaled; last {(firstScale.Count > 0 ? firstScale[^1] : double.NaN):0.00} s after the insert"));

        var ackBound = DateTimeOffset.UtcNow + PodStartup + TimeSpan.FromSeconds(60);
        var rowsLeft = await stack.CountRowsAsync(cancellationToken);
        while (firstScale.Count == services && rowsLeft > 0 && DateTimeOffset.UtcNow < ackBound)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            rowsLeft = await stack.CountRowsAsync(cancellationToken);
        }

        var acknowledgedAfter = (DateTimeOffset.UtcNow - inserted).TotalSeconds;
        return
        [
            new("Services hit at once", services, "services", $"pods ready {PodStartup.TotalSeconds:0} s after scale, default WakeConcurrency"),
            new($"scaled within {ScaleBound.TotalSeconds:0} s", firstScale.Count, "services") { Target = services, HigherIsBetter = true },
            new("insert -> scale request p50", Percentile(firstScale, 0.50), "s"),
            new("insert -> scale request max", firstScale.Count == services ? firstScale[^1] : ScaleBound.TotalSeconds, "s",
                firstScale.Count == services ? null : $"more than the {ScaleBound.TotalSeconds:0} s bound: not every Service was scaled") { Target = 3 },
            new("rows left after the pods were ready", rowsLeft, "rows", string.Create(CultureInfo.InvariantCulture, $"{acknowledgedAfter:0.0} s after the insert")) { Target = 0 },
            new("operator RSS after the run", Statistics.Megabytes(unidler.ResidentBytes), "MB"),
        ];
    }

    private static double Percentile(List<double> sorted, double quantile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
}
