using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s;
using k8s.Models;
using OvnUnidler.Entities;
using OvnUnidler.Holding;
using OvnUnidler.Holding.Observability;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.KubernetesDouble.ControllerManager;
using OvnUnidler.KubernetesDouble.Faults;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Controllers;
using OvnUnidler.Operator.Holding;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Controllers;

/// <summary>
/// status.lastHold, written by the operator with the real connection holder on loopback: the
/// Service's pod is a real listener at a loopback address the API double gives the pod, clients
/// connect to the holder's listener as OVN's VIP DNAT would send them.
/// </summary>
public sealed class IdlerHoldStatusTests
{
    private const string Vip = "10.96.0.10:80";

    private static int nextFirstPort = 23100;

    [Fact]
    public async Task A_held_wake_records_its_connections_handed_to_the_pod_and_the_one_reset_at_the_bound_in_last_hold()
    {
        using var pod = new LoopbackPod();
        await using var environment = await OperatorEnvironment.StartAsync(new KubernetesApiDoubleOptions { PodAddresses = pod });
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 1, idled: false);
        var (loadBalancer, unidler) = await StartIdledWithIdlerAsync(environment, Settings(maxConnectionsPerService: 2));
        var started = DateTimeOffset.UtcNow;

        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);
        var listener = await HolderListenerAsync(environment, loadBalancer);
        using var one = await ConnectAsync(listener);
        using var two = await ConnectAsync(listener);
        await Eventually.TrueAsync(() => unidler.Service<ActiveHolds>().All.Sum(hold => hold.Held.Counts.Connections) == 2, "both connections to be held");
        var refused = await ConnectAndReadErrorAsync(listener);

        Assert.Equal("served", await ReadToEndAsync(one));
        Assert.Equal("served", await ReadToEndAsync(two));
        var idler = await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"),
            value => value.Status?.LastHold is not null && value.Status.WakeCount == 1, "the hold and the wake recorded in the Idler status (neither write undoing the other)", Deadline.Long);
        var hold = idler.Status!.LastHold!;
        Assert.Equal(SocketError.ConnectionReset, refused);
        Assert.Equal((2, 2, 0, 2, 1), (hold.Held, hold.Connections, hold.Flows, hold.HandedToPods, hold.Reset));
        Assert.Equal(new Dictionary<string, int> { ["service_limit"] = 1 }, hold.ResetReasons);
        Assert.Equal((0, 0, null), (hold.Dropped, hold.KeptDatagrams, hold.DropReasons));
        Assert.Equal(IdlerHoldEnd.Drained, hold.End);
        Assert.InRange(hold.StartedAt, started.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Matches(@"^\d+(\.\d+)?(ms|s)$|^\d+m", hold.Duration);
    }

    [Fact]
    public async Task A_wake_that_is_not_held_leaves_last_hold_unset()
    {
        using var pod = new LoopbackPod();
        await using var environment = await OperatorEnvironment.StartAsync(new KubernetesApiDoubleOptions { PodAddresses = pod });
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 1, idled: false);
        await environment.Client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "web-from-frontend" },
            Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } }, PolicyTypes = ["Ingress"] },
        }, "shop", cancellationToken: TestContext.Current.CancellationToken);
        var (loadBalancer, unidler) = await StartIdledWithIdlerAsync(environment, Settings());

        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);

        var idler = await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"),
            value => value.Status?.WakeCount == 1, "the wake recorded in the Idler status", Deadline.Long);
        Assert.Equal(1, unidler.Metrics.HoldDecisionsCount("policy"));
        Assert.Null(idler.Status!.LastHold);
    }

    [Fact]
    public async Task A_later_hold_replaces_last_hold_and_its_reasons_and_an_earlier_one_never_does()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 1, idled: false);
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();
        await IdlerResources.CreateAsync(environment.Client, "shop", "web", IdlerDesiredState.Active);
        await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"),
            idler => idler.Status?.ObservedGeneration == idler.Metadata.Generation, "the Idler to be reconciled");
        var controller = unidler.Service<IdlerController>();
        var service = new ServiceKey("shop", "web");
        var first = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);
        var cancellation = TestContext.Current.CancellationToken;

        await controller.RecordHoldAsync(new HoldSummary(service, first, TimeSpan.FromSeconds(30), HoldEnd.Failed, new HoldCounts
        {
            Connections = 3,
            Resets = new Dictionary<ResetReason, int> { [ResetReason.Deadline] = 3 },
        }), cancellation);
        await controller.RecordHoldAsync(new HoldSummary(service, first.AddMinutes(5), TimeSpan.FromMilliseconds(8250), HoldEnd.Drained, new HoldCounts
        {
            Connections = 1, Flows = 1, RelayedConnections = 1, RelayedFlows = 1, DatagramsKept = 2,
            Resets = new Dictionary<ResetReason, int> { [ResetReason.TotalLimit] = 1 },
        }), cancellation);
        await controller.RecordHoldAsync(new HoldSummary(service, first.AddMinutes(1), TimeSpan.FromSeconds(1), HoldEnd.Failed, new HoldCounts { Connections = 9 }), cancellation);

        var hold = (await IdlerResources.ReadAsync(environment.Client, "shop", "web")).Status!.LastHold!;
        Assert.Equal((first.AddMinutes(5), "8.25s", IdlerHoldEnd.Drained), (hold.StartedAt, hold.Duration, hold.End));
        Assert.Equal((2, 1, 1, 2, 1, 2), (hold.Held, hold.Connections, hold.Flows, hold.HandedToPods, hold.Reset, hold.KeptDatagrams));
        Assert.Equal(new Dictionary<string, int> { ["total_limit"] = 1 }, hold.ResetReasons);
    }

    [Fact]
    public async Task A_failed_status_write_is_logged_and_neither_the_hold_nor_the_wake_notices()
    {
        using var pod = new LoopbackPod();
        await using var environment = await OperatorEnvironment.StartAsync(new KubernetesApiDoubleOptions { PodAddresses = pod });
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 1, idled: false);
        var logs = new RecordingLoggerProvider();
        var (loadBalancer, unidler) = await StartIdledWithIdlerAsync(environment, Settings(), logs);
        environment.Api.Faults.Add(new FaultRule { Verb = "patch", Resource = "idlers", Subresource = "status", StatusCode = 500, Message = "etcd is unhappy" });

        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);
        using var client = await ConnectAsync(await HolderListenerAsync(environment, loadBalancer));

        Assert.Equal("served", await ReadToEndAsync(client));
        await Eventually.TrueAsync(() => logs.Entries.Any(entry => entry.EventId.Id == EventIds.HoldReportFailed), "the failed write to be logged", Deadline.Long);
        var failed = logs.Entries.First(entry => entry.EventId.Id == EventIds.HoldReportFailed);
        Assert.Contains("shop/web", failed.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(IdlerHoldRecorder), failed.Message, StringComparison.Ordinal);
        Assert.Equal(1, unidler.Metrics.ReportingFailuresCount(nameof(IdlerHoldRecorder)));
        Assert.Contains(logs.Entries, entry => entry.EventId.Id == EventIds.HoldEnded && entry.Message.Contains("Drained", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip] == $"{pod.Address}:8080", "the VIP at the pod");
        Assert.Equal(1, await environment.Workloads.ReplicasAsync("shop", "web"));
    }

    /// <summary>Service "web" (created running) idled by an Idler (desired Idled), a load balancer for its VIP, and the operator holding on loopback in mode write.</summary>
    [Fact]
    public async Task A_refresh_from_an_older_copy_of_the_idler_keeps_the_wake_recorded_meanwhile()
    {
        using var pod = new LoopbackPod();
        await using var environment = await OperatorEnvironment.StartAsync(new KubernetesApiDoubleOptions { PodAddresses = pod });
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 1, idled: false);
        var (loadBalancer, unidler) = await StartIdledWithIdlerAsync(environment, Settings());
        // The controller's cached copy can be older than a wake recorded since: this one is.
        var older = await IdlerResources.ReadAsync(environment.Client, "shop", "web");

        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);
        await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"), value => value.Status?.WakeCount == 1, "the wake recorded", Deadline.Long);
        await unidler.Service<IdlerController>().ReconcileAsync(older, TestContext.Current.CancellationToken);

        var idler = await IdlerResources.ReadAsync(environment.Client, "shop", "web");
        Assert.Equal(1, idler.Status!.WakeCount);
        Assert.NotNull(idler.Status.LastWakeTime);
    }

    private static async Task<(Guid LoadBalancer, RunningOperator Operator)> StartIdledWithIdlerAsync(
        OperatorEnvironment environment, Dictionary<string, string?> settings, RecordingLoggerProvider? logs = null)
    {
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        var unidler = await environment.StartOperatorAsync(settings, logs: logs);
        await unidler.WaitUntilReadyAsync();
        await IdlerResources.CreateAsync(environment.Client, "shop", "web", IdlerDesiredState.Idled);
        await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"),
            idler => idler.Status?.Phase == IdlerPhase.Idled, "the Idler to report Idled");
        // The idled pod goes a moment after the scale to zero: gone from the API, from the operator's
        // view and then from the VIP, or the wake would find it serving and hold nothing.
        await environment.Workloads.WaitForServingPodsAsync("shop", "web", 0);
        await Eventually.TrueAsync(() => unidler.Service<EndpointSliceCache>().ReadyEndpoints(new ServiceKey("shop", "web")).Count == 0, "the operator to see no pod");
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip] == "", "the VIP without backends");

        // Long enough for the clients to be held before the pod is ready.
        environment.Api.ControllerManager.ReadyDelay = TimeSpan.FromSeconds(2);
        return (loadBalancer, unidler);
    }

    private static Dictionary<string, string?> Settings(int maxConnectionsPerService = 256)
    {
        var first = Interlocked.Add(ref nextFirstPort, 8) - 8;
        return new Dictionary<string, string?>
        {
            ["Unidler:Backends"] = "Write",
            ["Unidler:HolderAddress"] = "127.0.0.1",
            ["Holding:ListenAddress"] = "127.0.0.1",
            ["Holding:FirstPort"] = first.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Holding:LastPort"] = (first + 7).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Holding:MaxConnectionsPerService"] = maxConnectionsPerService.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The holder's listener the VIP points at once the wake started.</summary>
    private static async Task<IPEndPoint> HolderListenerAsync(OperatorEnvironment environment, Guid loadBalancer)
    {
        var backends = await Eventually.ValueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip],
            value => value.StartsWith("127.0.0.1:", StringComparison.Ordinal), "the VIP to point at the holder");
        return IPEndPoint.Parse(backends);
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, TestContext.Current.CancellationToken).AsTask().Within();
        return socket;
    }

    /// <summary>The socket error a connection ends with: on loopback the holder's reset can beat the client's own connect completion.</summary>
    private static async Task<SocketError?> ConnectAndReadErrorAsync(IPEndPoint endpoint)
    {
        try
        {
            using var socket = await ConnectAsync(endpoint);
            await socket.ReceiveAsync(new byte[16], SocketFlags.None, TestContext.Current.CancellationToken).AsTask().Within();
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[256];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken).AsTask().Within(Deadline.Long) is var read && read > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    /// <summary>
    /// The Service's one pod: the API double gives it a loopback address of its own (Linux answers on
    /// all of 127/8), where a real listener on the Service's target port answers "served" and closes.
    /// </summary>
    private sealed class LoopbackPod : IPodAddressAllocator, IDisposable
    {
        private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly CancellationTokenSource stop = new();

        public LoopbackPod()
        {
            Address = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";
            listener.Bind(new IPEndPoint(IPAddress.Parse(Address), 8080));
            listener.Listen(16);
            _ = ServeAsync();
        }

        public string Address { get; }

        public PodAddresses Allocate(PodAddressRequest request) => new(Address, null);

        public void Release(PodAddresses addresses)
        {
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Dispose();
            stop.Dispose();
        }

        private async Task ServeAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptAsync(stop.Token);
                    await client.SendAsync("served"u8.ToArray(), SocketFlags.None, stop.Token);
                    client.Shutdown(SocketShutdown.Both);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Disposed with the test.
            }
        }
    }
}
