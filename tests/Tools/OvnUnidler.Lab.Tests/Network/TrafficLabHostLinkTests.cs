using System.Net;
using System.Net.Sockets;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Tests.Network;

/// <summary>
/// Labs with a host link. In the shared lab's collection although it starts labs of its own, so
/// that two more labs do not start beside the shared lab's cross-zone tests on the 2-core machine.
/// Those tests time out now and then without it as well (1 run in 13 at the commit before the host
/// link, 1 in 11 after it without this class: a node1 to node3 connection across the transit
/// switch gets no answer for 20 s; cause not found, as in the E2E tests' two-zone note).
/// </summary>
[Collection(TrafficLabCollection.Name)]
public sealed class TrafficLabHostLinkTests
{
    [Fact]
    public async Task Operator_pods_of_two_labs_reach_their_own_labs_host_address_and_dispose_removes_the_host_links()
    {
        RealTrafficGate.Require(TrafficLab.WhyUnavailable());
        var starts = Enumerable.Range(0, 2).Select(_ => TrafficLab.StartAsync(new TrafficLabOptions { HostLink = true }, TestContext.Current.CancellationToken)).ToList();
        var labs = await Task.WhenAll(starts).Within(Deadline.Long);
        try
        {
            Assert.NotEqual(labs[0].HostAddress, labs[1].HostAddress);
            foreach (var lab in labs)
            {
                using var listener = new TcpListener(lab.HostAddress!, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var pod = await lab.AddOperatorPodAsync(lab.Nodes.First(), "operator", TestContext.Current.CancellationToken).Within(Deadline.Long);
                var accepted = listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken).AsTask();

                // bash's /dev/tcp: a plain connect(2) from inside the pod's namespace.
                await pod.Pod.ExecAsync("bash", ["-c", $"exec 3<>/dev/tcp/{lab.HostAddress}/{port}"], TestContext.Current.CancellationToken).Within(Deadline.Long);
                using var client = await accepted.Within(Deadline.Long);

                Assert.Equal(pod.HostLinkAddress, ((IPEndPoint)client.Client.RemoteEndPoint!).Address);
                Assert.Equal(pod.Pod.Ipv4, pod.PodIp);
                Assert.Contains(lab.HostLinkName, await LinksAsync());
            }
        }
        finally
        {
            foreach (var lab in labs)
            {
                await lab.DisposeAsync().AsTask().Within(Deadline.Long);
            }
        }

        // The kernel tears a deleted namespace's devices down in the background, the veth pair with them.
        await Eventually.TrueAsync(
            async () =>
            {
                var links = await LinksAsync();
                return labs.All(lab => !links.Contains(lab.HostLinkName, StringComparison.Ordinal));
            },
            "the host links gone with their namespaces");
        Assert.DoesNotContain(NetworkNamespace.List(), name => labs.Any(lab => name.Contains(lab.Id, StringComparison.Ordinal)));
    }

    private static Task<string> LinksAsync() => new CommandRunner("/tmp").RunAsync("ip", ["-o", "link", "show"], TestContext.Current.CancellationToken);
}
