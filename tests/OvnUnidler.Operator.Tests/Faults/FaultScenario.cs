using System.Globalization;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Faults;

/// <summary>
/// The invariant every fault test checks: each idled Service that received traffic is woken
/// exactly once, no row is left, and no Service that was not idled is scaled.
/// </summary>
public sealed class FaultScenario(OperatorEnvironment environment, int idledServices)
{
    public const string BystanderNamespace = "bystanders";

    public IReadOnlyList<(string Name, string Vip)> Idled { get; } = [.. Enumerable.Range(1, idledServices)
        .Select(i => (string.Create(CultureInfo.InvariantCulture, $"svc-{i}"), string.Create(CultureInfo.InvariantCulture, $"10.96.1.{i}:80")))];

    public string BystanderVip => "10.96.2.1:80";

    public const string Namespace = "faults";

    /// <summary>Idled Services svc-1..N and one active Service that also receives traffic.</summary>
    public async Task CreateAsync()
    {
        foreach (var (name, vip) in Idled)
        {
            await environment.Workloads.CreateAsync(Namespace, name, vip.Split(':')[0], 80, replicas: 2);
        }

        await environment.Workloads.CreateAsync(BystanderNamespace, "active", BystanderVip.Split(':')[0], 80, replicas: 1, idled: false);
    }

    /// <summary><paramref name="perService"/> rows for every idled Service plus as many for the active one, shuffled.</summary>
    public IReadOnlyList<EventRow> Burst(int perService, int seed)
    {
        var random = new Random(seed);
        var rows = Idled.Select(service => service.Vip).Append(BystanderVip)
            .SelectMany(vip => Enumerable.Range(1, perService).Select(i => EventRow.For(vip, seqNum: i)))
            .ToArray();
        random.Shuffle(rows);
        return rows;
    }

    public async Task AssertEveryIdledServiceWokenOnceAndNoRowLeftAsync(SouthboundRows? southbound = null)
    {
        await Eventually.TrueAsync(async () => await (southbound ?? environment.Southbound).CountEventRowsAsync() == 0, "every row deleted", TimeSpan.FromSeconds(60));
        foreach (var (name, _) in Idled)
        {
            Assert.Equal(2, await environment.Workloads.ReplicasAsync(Namespace, name));
            Assert.Equal(1, environment.DeploymentScaleWrites(Namespace, name));
        }

        Assert.Equal(1, await environment.Workloads.ReplicasAsync(BystanderNamespace, "active"));
        Assert.Equal(0, environment.DeploymentScaleWrites(BystanderNamespace, "active"));
    }
}
