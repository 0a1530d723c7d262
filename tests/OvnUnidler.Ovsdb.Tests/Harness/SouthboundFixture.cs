using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;

namespace OvnUnidler.Ovsdb.Tests.Harness;

/// <summary>
/// One real standalone Southbound ovsdb-server (unix, tcp and IPv6 tcp remotes) shared by a
/// collection; its tests run one at a time and each starts from an empty table it uses.
/// </summary>
public sealed class SouthboundFixture : IAsyncLifetime
{
    private LabDirectory? directory;

    public OvsdbServer Server { get; private set; } = null!;

    public ServerTables Tables => new(Server);

    public async ValueTask InitializeAsync()
    {
        directory = LabDirectory.Create("ovsdbt");
        Server = await OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = directory.Path, TcpPort = 0, Ipv6TcpPort = 0 }, TestContext.Current.CancellationToken).Within(Deadline.Long);
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.StopAsync().WaitAsync(Deadline.Long);
        }

        directory?.Dispose();
    }

    public OvsdbClient CreateClient(string? remote = null) => Clients.Create(remote ?? Server.UnixRemote);
}
