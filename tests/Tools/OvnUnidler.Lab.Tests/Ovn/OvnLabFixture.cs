using OvnUnidler.Lab.Ovn;

namespace OvnUnidler.Lab.Tests.Ovn;

/// <summary>
/// One lab with two chassis, shared by the event tests: switch sw0 (dual stack) with port
/// sw0-p1 bound on hv1 and sw0-p2 bound on hv2. Every test makes its own load balancer and
/// VIP, so the rows of one test never block or match another's.
/// </summary>
public sealed class OvnLabFixture : IAsyncLifetime
{
    public const string Switch = "sw0";

    private OvnLab? lab;

    public OvnLab Lab => lab ?? throw new InvalidOperationException("fixture not initialised");

    public LabBinding Hv1Port { get; private set; } = null!;

    public LabBinding Hv2Port { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        lab = await OvnLab.StartAsync(new OvnLabOptions { Chassis = 2, DirectoryPrefix = "labev" }, ct);
        try
        {
            var logicalSwitch = await lab.AddSwitchAsync(Switch, "192.168.1.0/24", "fd00:1::/64", ct);
            var first = await lab.AddPortAsync(logicalSwitch, "sw0-p1", ct);
            var second = await lab.AddPortAsync(logicalSwitch, "sw0-p2", ct);
            Hv1Port = await lab.Chassis[0].BindPortAsync(first, ofport: 1, ct);
            Hv2Port = await lab.Chassis[1].BindPortAsync(second, ofport: 1, ct);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>A load balancer with one VIP, no backends and options:event=true on sw0, installed on every chassis.</summary>
    public async Task<string> AddEventLoadBalancerAsync(string name, string vip, LabProtocol protocol, CancellationToken cancellationToken)
    {
        var uuid = await Lab.AddLoadBalancerAsync(
            new LabLoadBalancerSpec { Name = name, Vips = [vip], Protocol = protocol, Switches = [Switch] }, cancellationToken);
        await Lab.WaitForHypervisorSyncAsync(cancellationToken);
        return uuid;
    }

    public async ValueTask DisposeAsync()
    {
        if (lab is not null)
        {
            await lab.DisposeAsync();
        }
    }
}
