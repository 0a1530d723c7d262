using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble.Journal;
using OvnUnidler.Lab.Cluster;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>
/// Two operator processes in central mode, each reaching the API double through its own
/// <see cref="ApiPartition"/>, competing for the Lease `ovn-unidler` in `default`.
/// </summary>
public sealed class CentralReplicas : IAsyncDisposable
{
    public const string LeaseName = "ovn-unidler";
    public const string LeaseNamespace = "default";

    private readonly OperatorEnvironment environment;

    private CentralReplicas(OperatorEnvironment environment, IReadOnlyList<Replica> replicas)
    {
        this.environment = environment;
        All = replicas;
    }

    public IReadOnlyList<Replica> All { get; }

    /// <summary>Starts replicas a and b with these timings and waits until both are ready.</summary>
    public static async Task<CentralReplicas> StartAsync(OperatorEnvironment environment, TimeSpan leaseDuration, TimeSpan renewDeadline, TimeSpan retryPeriod)
    {
        var replicas = new List<Replica>();
        foreach (var identity in new[] { "operator-a", "operator-b" })
        {
            var partition = ApiPartition.Start(environment.Api);
            var settings = environment.ProcessSettings(partition.Kubeconfig, mode: "Central");
            settings["Unidler__BackendsTimeout"] = "00:00:05";
            settings["LeaderElection__LeaseNamespace"] = LeaseNamespace;
            settings["LeaderElection__Identity"] = identity;
            settings["LeaderElection__LeaseDuration"] = Format(leaseDuration);
            settings["LeaderElection__RenewDeadline"] = Format(renewDeadline);
            settings["LeaderElection__RetryPeriod"] = Format(retryPeriod);
            var process = OperatorProcess.Start(settings);
            replicas.Add(new Replica(identity, process, partition));
        }

        var pair = new CentralReplicas(environment, replicas);
        foreach (var replica in replicas)
        {
            await replica.Process.WaitUntilReadyAsync(Deadline.Long, TestContext.Current.CancellationToken);
        }

        return pair;
    }

    /// <summary>Waits until one replica holds the Lease and returns it with the other.</summary>
    public async Task<(Replica Leader, Replica Standby)> LeaderAsync()
    {
        var holder = await Eventually.ValueAsync(HolderAsync, holder => All.Any(replica => replica.Identity == holder), "a replica to hold the Lease");
        return (All.Single(replica => replica.Identity == holder), All.Single(replica => replica.Identity != holder));
    }

    public async Task<V1Lease> LeaseAsync() =>
        await environment.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, LeaseNamespace, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>The Lease's holder; null before the first replica has created it.</summary>
    public async Task<string?> HolderAsync()
    {
        try
        {
            return (await LeaseAsync()).Spec.HolderIdentity;
        }
        catch (k8s.Autorest.HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Successful writes of the Lease, in the order the double recorded them, with the holder each wrote.</summary>
    public IReadOnlyList<(RecordedRequest Request, string? Holder)> LeaseWrites() =>
        [.. environment.Api.Requests
            .Where(request => request.Resource == "leases" && request.Verb is "create" or "update" && request.StatusCode is 200 or 201)
            .Select(request => (Request: request, Body: JsonNode.Parse(request.Body ?? "{}")))
            .Where(write => write.Body?["metadata"]?["name"]?.GetValue<string>() == LeaseName)
            .Select(write => (write.Request, write.Body?["spec"]?["holderIdentity"]?.GetValue<string>()))];

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in All)
        {
            await replica.Process.DisposeAsync();
            await replica.Partition.DisposeAsync();
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    public sealed record Replica(string Identity, OperatorProcess Process, ApiPartition Partition);
}
