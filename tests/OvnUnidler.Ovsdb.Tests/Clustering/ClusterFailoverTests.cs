using System.Collections.Concurrent;
using System.Text.Json;
using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Tests.Harness;

namespace OvnUnidler.Ovsdb.Tests.Clustering;

/// <summary>A 3-member clustered Southbound (ovsdb-tool create-cluster / join-cluster on loopback ports).</summary>
public sealed class ClusterFailoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Client_continues_on_another_member_and_resumes_without_a_full_resync()
    {
        using var directory = LabDirectory.Create("raft");
        await using var cluster = await OvsdbCluster.StartAsync(directory.Path, OvnSchemas.Southbound, OvnSchemas.SouthboundDatabase, 3, Ct).Within(Deadline.Long);
        var first = new ServerTables(cluster.Members[0]);
        await first.InsertEventsAsync([1, 2, 3]);
        var recorder = new BatchRecorder<ControllerEventRow>();
        var states = new ConcurrentQueue<OvsdbConnectionState>();
        await using var client = Clients.Create(cluster.ClientRemotes);
        client.StateChanged += states.Enqueue;
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), recorder.Handler);
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();
        var used = cluster.Members.Single(member => member.TcpRemote == client.ConnectedRemote);
        var others = cluster.Members.Where(member => member != used).ToList();

        await used.StopAsync(Ct).Within();
        // Written while the client is between members: the resumed monitor must bring it.
        var duringFailover = await new ServerTables(others[0]).InsertEventsAsync([4, 5]);
        await Eventually.TrueAsync(() => client.IsConnected && client.ConnectedRemote != used.TcpRemote, "the client to move to another member");
        var afterFailover = await new ServerTables(others[1]).InsertEventsAsync([6]);
        var expected = await new ServerTables(others[1]).SelectAsync(OvnTables.ControllerEvent);
        await Eventually.TrueAsync(() => monitor.Rows.Keys.ToHashSet().SetEquals(expected.Keys), "the cache to equal the cluster's table");

        Assert.Equal(6, expected.Count);
        Assert.Contains(duringFailover[0], monitor.Rows.Keys);
        Assert.Contains(afterFailover[0], monitor.Rows.Keys);
        // monitor_cond_since found the last transaction on the new member (found=true): only the first batch is a full state.
        Assert.Single(recorder.Batches, batch => batch.IsResync);
        Assert.Empty(recorder.Anomalies);
        Assert.Contains(states, state => state.Status == OvsdbConnectionStatus.Disconnected && state.Remote == used.TcpRemote);
    }

    [Fact]
    public async Task Client_uses_only_members_the_server_database_says_are_in_the_cluster()
    {
        using var directory = LabDirectory.Create("raftq");
        await using var cluster = await OvsdbCluster.StartAsync(directory.Path, OvnSchemas.Southbound, OvnSchemas.SouthboundDatabase, 3, Ct).Within(Deadline.Long);
        var leader = await cluster.FindLeaderAsync(Ct).Within() ?? throw new InvalidOperationException("no leader");
        var follower = cluster.Members.First(member => member != leader);
        var states = new ConcurrentQueue<OvsdbConnectionState>();
        await using var client = Clients.Create(follower.TcpRemote);
        client.StateChanged += states.Enqueue;
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), (_, _) => ValueTask.CompletedTask);
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();

        // Alone, the follower loses its leader, fails to win an election and reports connected=false.
        foreach (var member in cluster.Members.Where(member => member != follower))
        {
            await member.StopAsync(Ct).Within();
        }

        await Eventually.TrueAsync(async () => !await IsConnectedToClusterAsync(follower), "the lone member to leave the cluster", Deadline.Long);
        await Eventually.TrueAsync(
            () => states.Any(state => state.Reason?.Contains("not connected to the OVN_Southbound cluster", StringComparison.Ordinal) == true),
            "the client to drop and then refuse the lone member", Deadline.Long);
        var refusedWhileAlone = !client.IsConnected;

        await leader.StartAsync(Ct).Within();
        await Eventually.TrueAsync(() => client.IsConnected, "the client to use the member once it is back in the cluster", Deadline.Long);

        Assert.True(refusedWhileAlone);
        Assert.True(await IsConnectedToClusterAsync(follower));
    }

    private static async Task<bool> IsConnectedToClusterAsync(OvsdbServer member)
    {
        var output = await member.TransactAsync(
            """["_Server",{"op":"select","table":"Database","where":[["name","==","OVN_Southbound"]],"columns":["connected"]}]""", Ct);
        using var document = JsonDocument.Parse(output);
        return document.RootElement[0].GetProperty("rows")[0].GetProperty("connected").GetBoolean();
    }
}
