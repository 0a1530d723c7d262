using OvnUnidler.Lab.Network;

namespace OvnUnidler.Lab.Tests.Network;

/// <summary>
/// One real-traffic lab for the collection: two zones joined by ovn-ic, two nodes each (node1,
/// node2 in az1; node3, node4 in az2), every node joined by geneve. Each test makes its own pods
/// and load balancers and removes its pods.
/// </summary>
public sealed class TrafficLabFixture : IAsyncLifetime
{
    private TrafficLab? lab;

    public TrafficLab Lab => lab ?? throw new InvalidOperationException(WhyUnavailable ?? "fixture not initialised");

    public string? WhyUnavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        WhyUnavailable = TrafficLab.WhyUnavailable();
        if (WhyUnavailable is null)
        {
            lab = await TrafficLab.StartAsync(new TrafficLabOptions { Zones = 2, NodesPerZone = 2 }, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (lab is not null)
        {
            await lab.DisposeAsync();
        }
    }
}
