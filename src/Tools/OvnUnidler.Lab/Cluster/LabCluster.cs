using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using OvnUnidler.Idling;
using OvnUnidler.Idling.Idle;
using OvnUnidler.Lab.Kubelet;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Ovn;
using OvnUnidler.Lab.Traffic;

namespace OvnUnidler.Lab.Cluster;

/// <summary>
/// The real-traffic lab as a cluster: a Kubernetes API (the caller's client) whose Pods the lab
/// kubelet runs as real pods, and the OVN side of Services (load balancers that raise events, as
/// ovn-kubernetes keeps them for idled Services, with its owner external_ids).
/// </summary>
public sealed class LabCluster : IAsyncDisposable
{
    private LabCluster(TrafficLab lab, IKubernetes client, LabKubelet kubelet)
    {
        Lab = lab;
        Client = client;
        Kubelet = kubelet;
    }

    public TrafficLab Lab { get; }

    public IKubernetes Client { get; }

    public LabKubelet Kubelet { get; }

    public static LabCluster Start(TrafficLab lab, IKubernetes client, LabKubeletOptions? kubeletOptions = null)
    {
        var kubelet = new LabKubelet(client, lab, kubeletOptions);
        kubelet.Start();
        return new LabCluster(lab, client, kubelet);
    }

    /// <summary>
    /// A Deployment of <paramref name="replicas"/> pod servers (start-up <paramref name="startDelay"/>,
    /// on <paramref name="node"/> or spread over the nodes) and a Service in front of it (port to the
    /// pods' HTTP or UDP port; type NodePort when <paramref name="nodePort"/> is given); returns once
    /// the Service has that many ready endpoints. The pods serve HTTP on <paramref name="httpPort"/>
    /// (default <see cref="PodPrograms.HttpPort"/>), their container's port named "http".
    /// </summary>
    public async Task<(string ClusterIp, int Port)> CreateWorkloadAsync(
        string ns, string name, int port, string protocol, int replicas, TimeSpan startDelay, string? node = null, bool ipv6 = false,
        TimeSpan? timeout = null, int? nodePort = null, int? httpPort = null, CancellationToken cancellationToken = default)
    {
        var http = httpPort ?? PodPrograms.HttpPort;
        var labels = new Dictionary<string, string> { ["app"] = name };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = labels,
                        Annotations = new Dictionary<string, string>
                        {
                            [LabKubeletOptions.StartDelayAnnotation] = startDelay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
                        },
                    },
                    Spec = new V1PodSpec
                    {
                        NodeSelector = node is null ? null : new Dictionary<string, string> { ["kubernetes.io/hostname"] = node },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = name,
                                Image = "ovn-unidler-lab/pod-server:1",
                                Ports =
                                [
                                    new V1ContainerPort { Name = "http", ContainerPort = http, Protocol = "TCP" },
                                    new V1ContainerPort { Name = "udp", ContainerPort = PodPrograms.UdpPort, Protocol = "UDP" },
                                ],
                            },
                        ],
                    },
                },
            },
        }, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        var service = await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ServiceSpec
            {
                Selector = labels,
                Type = nodePort is null ? null : "NodePort",
                IpFamilies = ipv6 ? ["IPv6"] : null,
                Ports =
                [
                    new V1ServicePort
                    {
                        Name = "main", Port = port, Protocol = protocol, NodePort = nodePort,
                        TargetPort = protocol == "UDP" ? PodPrograms.UdpPort : http,
                    },
                ],
            },
        }, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        await WaitForReadyEndpointsAsync(ns, name, replicas, timeout ?? TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        return (service.Spec.ClusterIP, port);
    }

    /// <summary>
    /// The Service's load balancer in <paramref name="zone"/> as ovn-kubernetes keeps it for an idled
    /// Service: its VIPs with no backends and options:event=true, owner external_ids when
    /// <paramref name="withOwner"/>. <paramref name="extraVips"/> are further frontends (a NodePort-style VIP).
    /// </summary>
    public async Task<LabService> AddIdledLoadBalancerAsync(
        string ns, string name, string clusterIp, int port, string protocol, int replicas, int zone = 1, bool withOwner = true,
        IReadOnlyList<string>? extraVips = null, CancellationToken cancellationToken = default)
    {
        var service = new LabService(ns, name, clusterIp, port, protocol, replicas, zone, "");
        var loadBalancer = await Lab.AddLoadBalancerAsync(Lab.Zones[zone - 1], new LabLoadBalancerSpec
        {
            Name = $"Service_{ns}/{name}_{protocol}_cluster",
            Vips = [service.Vip, .. extraVips ?? []],
            Protocol = protocol == "UDP" ? LabProtocol.Udp : LabProtocol.Tcp,
            ExternalIds = withOwner ? LabLoadBalancerSpec.ServiceExternalIds(ns, name) : new Dictionary<string, string>(),
        }, cancellationToken).ConfigureAwait(false);
        await Lab.Zones[zone - 1].WaitForHypervisorSyncAsync(cancellationToken).ConfigureAwait(false);
        return service with { LoadBalancer = loadBalancer };
    }

    /// <summary>
    /// Gives the Deployment's pods a new start-up delay: a new pod template, which its next pods
    /// (after a scale from 0, e.g. a wake) are made from. A slow pod for a wake, without making the
    /// pod that ran before the idling as slow.
    /// </summary>
    public Task SetStartDelayAsync(string ns, string name, TimeSpan startDelay, CancellationToken cancellationToken = default)
    {
        var annotations = new Dictionary<string, string>
        {
            [LabKubeletOptions.StartDelayAnnotation] = startDelay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        };
        var patch = JsonSerializer.Serialize(new { spec = new { template = new { metadata = new { annotations } } } });
        return Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Idles <paramref name="ns"/>/<paramref name="name"/> as `oc idle` does (the operator's
    /// ServiceIdler, recording <paramref name="component"/> as the idler) and returns once the
    /// Service has no ready endpoint left.
    /// </summary>
    public async Task<IdleResult> IdleAsync(string ns, string name, string component, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var idler = new ServiceIdler(Client, TimeProvider.System, options: new IdlingOptions { Component = component });
        var idled = await idler.IdleAsync(ns, name, new IdleRequest(), cancellationToken).ConfigureAwait(false);
        await WaitForReadyEndpointsAsync(ns, name, 0, timeout, cancellationToken).ConfigureAwait(false);
        return idled;
    }

    /// <summary>
    /// A Deployment of one pod server (<see cref="CreateWorkloadAsync"/>) behind a Service, idled
    /// (<see cref="IdleAsync"/>), with its event-raising load balancer (<see cref="AddIdledLoadBalancerAsync"/>)
    /// in each of <paramref name="zones"/> (zone 1 when none are named): one <see cref="LabService"/> a zone.
    /// </summary>
    public async Task<IReadOnlyList<LabService>> CreateIdledServiceAsync(
        string ns, string name, int port, string protocol, TimeSpan startDelay, string component, string? node = null, bool ipv6 = false,
        IReadOnlyList<int>? zones = null, bool withOwner = true, IReadOnlyList<string>? extraVips = null, int? nodePort = null,
        TimeSpan? timeout = null, int? httpPort = null, CancellationToken cancellationToken = default)
    {
        var patience = timeout ?? TimeSpan.FromSeconds(60);
        // The pod before the idling starts at once; only the wake's pods get the start-up delay.
        var (clusterIp, servicePort) = await CreateWorkloadAsync(ns, name, port, protocol, 1, TimeSpan.Zero, node, ipv6, patience, nodePort, httpPort, cancellationToken)
            .ConfigureAwait(false);
        await IdleAsync(ns, name, component, patience, cancellationToken).ConfigureAwait(false);
        if (startDelay > TimeSpan.Zero)
        {
            await SetStartDelayAsync(ns, name, startDelay, cancellationToken).ConfigureAwait(false);
        }

        var services = new List<LabService>();
        foreach (var zone in zones ?? [1])
        {
            services.Add(await AddIdledLoadBalancerAsync(ns, name, clusterIp, servicePort, protocol, 1, zone, withOwner, extraVips, cancellationToken)
                .ConfigureAwait(false));
        }

        return services;
    }

    public async Task<int> ReadyEndpointCountAsync(string ns, string service, CancellationToken cancellationToken = default)
    {
        var slices = await Client.DiscoveryV1.ListNamespacedEndpointSliceAsync(
            ns, labelSelector: $"kubernetes.io/service-name={service}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return slices.Items.SelectMany(slice => slice.Endpoints ?? []).Count(endpoint => endpoint.Conditions?.Ready == true);
    }

    public async Task WaitForReadyEndpointsAsync(string ns, string service, int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await ReadyEndpointCountAsync(ns, service, deadline.Token).ConfigureAwait(false) != count)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(25), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{ns}/{service} did not reach {count} ready endpoints within {timeout}", Kubelet.LastError);
        }
    }

    public ValueTask DisposeAsync() => Kubelet.DisposeAsync();
}
