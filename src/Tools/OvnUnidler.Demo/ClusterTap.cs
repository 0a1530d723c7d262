using k8s;
using k8s.Models;

namespace OvnUnidler.Demo;

/// <summary>Narrates Deployment replicas and ready EndpointSlice addresses from watches on the API double.</summary>
public sealed class ClusterTap(IKubernetes client, string ns, Narrator narrator) : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Dictionary<string, (int? Spec, int? Ready)> replicas = [];
    private readonly Dictionary<string, int> readyEndpoints = [];

    public void Start()
    {
        _ = WatchDeploymentsAsync(stop.Token);
        _ = WatchSlicesAsync(stop.Token);
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }

    private async Task WatchDeploymentsAsync(CancellationToken cancellationToken)
    {
        var list = await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var item in list.Items)
        {
            replicas[item.Metadata.Name] = (item.Spec.Replicas, item.Status?.ReadyReplicas);
        }

        try
        {
            await foreach (var (_, deployment) in client.AppsV1.WatchListNamespacedDeploymentAsync(
                ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var now = (deployment.Spec.Replicas, deployment.Status?.ReadyReplicas);
                if (replicas.TryGetValue(deployment.Metadata.Name, out var before) && before.Spec != now.Replicas)
                {
                    narrator.Step("kubernetes", $"Deployment {ns}/{deployment.Metadata.Name} scaled {before.Spec ?? 0} -> {now.Replicas ?? 0} replicas");
                }

                if (before.Ready != now.ReadyReplicas && (now.ReadyReplicas ?? 0) > 0)
                {
                    narrator.Step("kubernetes", $"Deployment {ns}/{deployment.Metadata.Name} has {now.ReadyReplicas} ready pod(s)");
                }

                replicas[deployment.Metadata.Name] = now;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task WatchSlicesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (_, slice) in client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var ready = (slice.Endpoints ?? []).Where(endpoint => endpoint.Conditions?.Ready == true).SelectMany(endpoint => endpoint.Addresses).ToList();
                var service = slice.Metadata.Labels?.TryGetValue("kubernetes.io/service-name", out var name) == true ? name : slice.Metadata.Name;
                if (readyEndpoints.GetValueOrDefault(service) != ready.Count)
                {
                    readyEndpoints[service] = ready.Count;
                    if (ready.Count > 0)
                    {
                        narrator.Step("kubernetes", $"EndpointSlice of {ns}/{service}: ready {string.Join(", ", ready)}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
