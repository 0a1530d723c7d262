using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Benchmarks.Pipeline;
using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.KubernetesDouble.Journal;
using OvnUnidler.Lab.Cluster;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// Issue 12: how long a rolling update leaves nobody acting in central mode. Two operator processes
/// with the default timings compete for the Lease; each round SIGTERMs the leader and measures from
/// the signal until the standby's write that takes the Lease has been answered, then starts the
/// stopped replica again as the new standby.
/// </summary>
public sealed class HandoverScenario : IBenchmarkScenario
{
    private const string LeaseName = "ovn-unidler";
    private const string LeaseNamespace = "default";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);

    public string Name => "handover";

    public string Description => "central mode: SIGTERM to the leader until the standby holds the Lease (>= 10 rounds)";

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var rounds = Math.Max(context.Repeat, 10);
        // The Lease writes' bodies tell who wrote them.
        await using var stack = await BenchmarkStack.StartAsync(recordRequestBodies: true, cancellationToken);
        var replicas = new Dictionary<string, OperatorProcess>(StringComparer.Ordinal);
        try
        {
            foreach (var identity in new[] { "replica-a", "replica-b" })
            {
                replicas[identity] = Start(stack, identity, context);
            }

            foreach (var replica in replicas.Values)
            {
                await replica.WaitUntilReadyAsync(TimeSpan.FromMinutes(2), cancellationToken);
            }

            var handovers = new List<double>();
            var released = 0;
            for (var round = 0; round < rounds; round++)
            {
                string? holder = null;
                await Completion.WaitAsync(
                    async () => (holder = await HolderAsync(stack, cancellationToken)) is { } seen && replicas.ContainsKey(seen),
                    LeaseDuration * 2, "a replica holding the Lease", cancellationToken);
                var leader = holder ?? throw new InvalidOperationException("the Lease has no holder");
                var standby = replicas.Keys.Single(identity => identity != leader);
                var signalled = DateTimeOffset.UtcNow;
                replicas[leader].Terminate();

                await Completion.WaitAsync(() => TakeOver(stack, standby, signalled) is not null, LeaseDuration * 2, "the standby taking the Lease", cancellationToken);
                var takeover = TakeOver(stack, standby, signalled)!;
                handovers.Add((takeover.Time + takeover.Duration - signalled).TotalSeconds);
                released += LeaseWrites(stack).Any(write => write.Request.Time >= signalled && write.Holder is null) ? 1 : 0;
                var exitCode = await replicas[leader].WaitForExitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                if (exitCode != 0)
                {
                    throw new InvalidOperationException($"round {round}: {leader} exited with {exitCode} after SIGTERM");
                }

                context.Progress(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {leader} -> {standby} in {handovers[^1]:0.000} s"));
                await replicas[leader].DisposeAsync();
                replicas[leader] = Start(stack, leader, context);
                await replicas[leader].WaitUntilReadyAsync(TimeSpan.FromMinutes(2), cancellationToken);
            }

            var retry = RetryPeriod.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return
            [
                new("SIGTERM -> standby holds the Lease, median", Statistics.Median(handovers), "s",
                    $"{rounds} rounds; RetryPeriod {retry} s, LeaseDuration {LeaseDuration.TotalSeconds:0} s, RenewDeadline {RenewDeadline.TotalSeconds:0} s"),
                new("SIGTERM -> standby holds the Lease, worst", handovers.Max(), "s", "expiry instead of release would take LeaseDuration")
                {
                    Target = LeaseDuration.TotalSeconds,
                },
                new("SIGTERM -> standby holds the Lease, best", handovers.Min(), "s"),
                new("rounds whose leader released the Lease", released, "rounds") { Target = rounds, HigherIsBetter = true },
            ];
        }
        finally
        {
            foreach (var replica in replicas.Values)
            {
                await replica.DisposeAsync();
            }
        }
    }

    private static OperatorProcess Start(BenchmarkStack stack, string identity, BenchmarkContext context)
    {
        var environment = stack.OperatorEnvironment();
        environment["Unidler__Mode"] = "Central";
        environment["LeaderElection__Identity"] = identity;
        environment["LeaderElection__LeaseName"] = LeaseName;
        environment["LeaderElection__LeaseNamespace"] = LeaseNamespace;
        environment["LeaderElection__LeaseDuration"] = LeaseDuration.ToString("c", CultureInfo.InvariantCulture);
        environment["LeaderElection__RenewDeadline"] = RenewDeadline.ToString("c", CultureInfo.InvariantCulture);
        environment["LeaderElection__RetryPeriod"] = RetryPeriod.ToString("c", CultureInfo.InvariantCulture);
        return OperatorProcess.Start(environment, context.OperatorLog($"handover-{identity}"));
    }

    private static async Task<string?> HolderAsync(BenchmarkStack stack, CancellationToken cancellationToken) =>
        (await stack.Kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false))
        .Spec.HolderIdentity;

    private static RecordedRequest? TakeOver(BenchmarkStack stack, string standby, DateTimeOffset since) =>
        LeaseWrites(stack).FirstOrDefault(write => write.Request.Time >= since && write.Holder == standby).Request;

    private static IEnumerable<(RecordedRequest Request, string? Holder)> LeaseWrites(BenchmarkStack stack) =>
        stack.Api.Requests
            .Where(request => request.Resource == "leases" && request.Verb is "create" or "update" && request.StatusCode is 200 or 201)
            .Select(request => (Request: request, Body: JsonNode.Parse(request.Body ?? "{}")))
            .Where(write => write.Body?["metadata"]?["name"]?.GetValue<string>() == LeaseName)
            .Select(write => (write.Request, write.Body?["spec"]?["holderIdentity"]?.GetValue<string>()));
}
