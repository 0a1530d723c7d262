using System.Collections.Concurrent;
using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Tests.Harness;
using OvnUnidler.Ovsdb.Transactions;

namespace OvnUnidler.Ovsdb.Tests.Remotes;

public sealed class SecureAndIpv6RemoteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ssl_remote_with_client_certificate_transacts_and_monitors()
    {
        using var directory = LabDirectory.Create("ssl");
        var certificates = TestCertificates.Create(directory.Path);
        await using var server = await OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = directory.Path, Tls = certificates.Server }, Ct).Within(Deadline.Long);
        await new ServerTables(server).InsertEventsAsync([1]);
        await using var client = Clients.Create(server.SslRemote, options =>
        {
            options.PrivateKeyFile = certificates.Client.PrivateKey;
            options.CertificateFile = certificates.Client.Certificate;
            options.CaCertificateFile = certificates.Client.CaCertificate;
        });
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), (_, _) => ValueTask.CompletedTask);
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();

        var selected = await client.TransactAsync(OvnTables.Southbound, [OvsdbOperation.Select(OvnTables.ControllerEvent, [])], Ct).Within();

        Assert.Equal(server.SslRemote, client.ConnectedRemote);
        Assert.Single(monitor.Rows);
        Assert.Equal(1, selected[0].Rows!.Value.GetArrayLength());
    }

    [Fact]
    public async Task Ssl_client_whose_certificate_another_ca_signed_is_refused_and_says_why()
    {
        using var directory = LabDirectory.Create("sslbad");
        var certificates = TestCertificates.Create(directory.Path);
        var strangers = TestCertificates.Create(directory.Path, "other-");
        await using var server = await OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = directory.Path, Tls = certificates.Server }, Ct).Within(Deadline.Long);
        var states = new ConcurrentQueue<OvsdbConnectionState>();
        await using var client = Clients.Create(server.SslRemote, options =>
        {
            // Our own CA, so the client trusts the server; the server does not trust the client.
            options.PrivateKeyFile = strangers.Client.PrivateKey;
            options.CertificateFile = strangers.Client.Certificate;
            options.CaCertificateFile = certificates.Client.CaCertificate;
        });
        client.StateChanged += states.Enqueue;
        await client.StartAsync(Ct);

        await Eventually.TrueAsync(() => states.Count(state => state.Status == OvsdbConnectionStatus.Disconnected) >= 2, "two refused attempts");

        Assert.False(client.IsConnected);
        Assert.All(states.Where(state => state.Status == OvsdbConnectionStatus.Disconnected), state => Assert.False(string.IsNullOrEmpty(state.Reason)));
    }

    [Fact]
    public async Task Ipv6_loopback_tcp_remote_transacts_and_monitors()
    {
        using var directory = LabDirectory.Create("ipv6");
        await using var server = await OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = directory.Path, Ipv6TcpPort = 0 }, Ct).Within(Deadline.Long);
        var uuid = (await new ServerTables(server).InsertEventsAsync([5]))[0];
        await using var client = Clients.Create(server.Ipv6Remote);
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), (_, _) => ValueTask.CompletedTask);
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();

        var deleted = await client.TransactAsync(OvnTables.Southbound, [OvsdbOperation.Delete(OvnTables.ControllerEvent, OvsdbCondition.Uuid(uuid))], Ct).Within();
        await Eventually.TrueAsync(() => monitor.Count == 0, "the delete to reach the monitor");

        Assert.StartsWith("tcp:[::1]:", client.ConnectedRemote, StringComparison.Ordinal);
        Assert.Equal(1, deleted[0].Count);
    }
}
