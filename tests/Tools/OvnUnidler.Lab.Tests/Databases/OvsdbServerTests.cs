using OvnUnidler.Lab.Databases;

namespace OvnUnidler.Lab.Tests.Databases;

public sealed class OvsdbServerTests
{
    [Fact]
    public async Task Serves_the_southbound_schema_and_keeps_rows_across_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = LabDirectory.Create("sbtest");
        await using var server = await OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = directory.Path, TcpPort = 0 }, ct);

        await server.TransactAsync(
            """["OVN_Southbound",{"op":"insert","table":"Controller_Event","row":{"event_type":"empty_lb_backends","seq_num":1}}]""", ct);
        await server.RestartAsync(ct);
        var rows = await server.TransactAsync(
            """["OVN_Southbound",{"op":"select","table":"Controller_Event","where":[],"columns":["seq_num"]}]""", ct);

        Assert.True(server.IsRunning);
        Assert.Contains("\"seq_num\":1", rows, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_server_is_gone_and_its_pid_is_not_running()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = LabDirectory.Create("sbtest");
        await using var server = await OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = directory.Path }, ct);
        Assert.True(server.IsRunning);

        await server.KillAsync(ct);

        Assert.False(server.IsRunning);
        Assert.False(File.Exists(server.UnixSocketPath) && await CanConnectAsync(server.UnixSocketPath));
    }

    private static async Task<bool> CanConnectAsync(string socketPath)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Three_member_cluster_elects_a_leader_and_replicates_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = LabDirectory.Create("raft");
        await using var cluster = await OvsdbCluster.StartAsync(directory.Path, OvnSchemas.Southbound, OvnSchemas.SouthboundDatabase, 3, ct);

        await cluster.Members[0].TransactAsync(
            """["OVN_Southbound",{"op":"insert","table":"Controller_Event","row":{"event_type":"empty_lb_backends","seq_num":7}}]""", ct);
        var onThird = await cluster.Members[2].TransactAsync(
            """["OVN_Southbound",{"op":"select","table":"Controller_Event","where":[],"columns":["seq_num"]}]""", ct);

        Assert.NotNull(await cluster.FindLeaderAsync(ct));
        Assert.Contains("\"seq_num\":7", onThird, StringComparison.Ordinal);
        Assert.Equal(3, cluster.ClientRemotes.Split(',').Length);
    }
}
