using System.Globalization;
using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Pipeline;

public sealed class NamespaceFilterPipelineTests
{
    private static readonly string[] Two = ["shop", "blog"];
    private static readonly string[] Three = ["shop", "blog", "wiki"];

    [Fact]
    public async Task Wakes_services_of_both_configured_namespaces_mapped_by_vip_only()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await CreateIdledAsync(environment, Two);
        await using var unidler = await environment.StartOperatorAsync(Serving(Two));
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventsAsync(Two.Select((_, i) => EventRow.For(Vip(i))));

        await AssertEachWokenOnceAsync(environment, Two);
        Assert.Equal(Two.Length, unidler.Metrics.EventsHandledCount(EventOutcome.Woken));
        Assert.Equal(0, unidler.Metrics.EventsHandledCount(EventOutcome.UnknownVip));
    }

    [Fact]
    public async Task Writes_the_backends_of_services_in_three_configured_namespaces()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await CreateIdledAsync(environment, Three);
        var loadBalancers = new List<Guid>();
        for (var i = 0; i < Three.Length; i++)
        {
            // No owner in external_ids: the VIP alone ties each load balancer to its Service.
            loadBalancers.Add(await environment.Northbound.AddLoadBalancerAsync($"lb-{Three[i]}", [Vip(i)]));
        }

        await using var unidler = await environment.StartOperatorAsync(Serving(Three, ("Unidler:Backends", "Write")));
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventsAsync(Three.Select((_, i) => EventRow.For(Vip(i), loadBalancer: loadBalancers[i])));

        await AssertEachWokenOnceAsync(environment, Three);
        for (var i = 0; i < Three.Length; i++)
        {
            var backends = (await environment.Northbound.VipsAsync(loadBalancers[i]))[Vip(i)].Split(',', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, backends.Length);
            Assert.All(backends, backend => Assert.EndsWith(":8080", backend, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_relist_of_one_namespace_keeps_the_services_of_the_others()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await CreateIdledAsync(environment, Three);
        await using var unidler = await environment.StartOperatorAsync(Serving(Three));
        await unidler.WaitUntilReadyAsync();
        var listsBefore = Three.Select(ns => ServiceLists(environment, ns)).ToArray();

        // A compaction and cut watches: every watch resumes from a version the server forgot
        // (410 Gone), so each namespace lists again, one after the other.
        environment.Api.Faults.ExpireWatchHistory();
        environment.Api.Faults.DropWatchConnections();
        await Eventually.TrueAsync(() => Three.Select((ns, i) => ServiceLists(environment, ns) > listsBefore[i]).All(relisted => relisted),
            "every namespace to list its Services again");
        await environment.Southbound.InsertEventsAsync(Three.Select((_, i) => EventRow.For(Vip(i))));

        await AssertEachWokenOnceAsync(environment, Three);
        Assert.Equal(0, unidler.Metrics.EventsHandledCount(EventOutcome.UnknownVip));
    }

    [Fact]
    public async Task Leaves_a_row_owned_by_an_unserved_namespace_to_the_instance_serving_it()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await CreateIdledAsync(environment, ["shop", "other"]);
        var foreignLoadBalancer = await environment.Northbound.AddLoadBalancerAsync("lb-other", [Vip(1)], owner: "other/svc-1");
        await using var unidler = await environment.StartOperatorAsync(Serving(["shop"]));
        await unidler.WaitUntilReadyAsync();

        // The owned row first: the single mapper has decided on it once the later rows are handled.
        var foreign = await environment.Southbound.InsertEventAsync(Vip(1), loadBalancer: foreignLoadBalancer);
        await environment.Southbound.InsertEventsAsync([EventRow.For("10.96.0.99:80"), EventRow.For(Vip(1), seqNum: 2), EventRow.For(Vip(0))]);

        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "svc-0") == 2, "shop/svc-0 woken");
        await Eventually.TrueAsync(async () => (await environment.Southbound.EventRowUuidsAsync()).SequenceEqual([foreign]),
            "every row but the owned one handled");
        Assert.Equal(1, unidler.Metrics.EventsLeftInPlaceCount);
        // Without an owner, a VIP of no Service in scope is unknown, as in any namespace.
        Assert.Equal(2, unidler.Metrics.EventsHandledCount(EventOutcome.UnknownVip));
        Assert.Equal(0, environment.DeploymentScaleWrites("other", "svc-1"));

        await using var otherInstance = await environment.StartOperatorAsync(Serving(["other"]));

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the owned row handled by the instance serving other");
        Assert.Equal(2, await environment.Workloads.ReplicasAsync("other", "svc-1"));
        Assert.Equal(1, environment.DeploymentScaleWrites("other", "svc-1"));
        Assert.Equal(1, unidler.Metrics.EventsLeftInPlaceCount);
    }

    private static string Vip(int index) => string.Create(CultureInfo.InvariantCulture, $"10.96.0.{10 + index}:80");

    private static async Task CreateIdledAsync(OperatorEnvironment environment, IReadOnlyList<string> namespaces)
    {
        for (var i = 0; i < namespaces.Count; i++)
        {
            await environment.Workloads.CreateAsync(namespaces[i], $"svc-{i}", Vip(i).Split(':')[0], 80, replicas: 2);
        }
    }

    private static Dictionary<string, string?> Serving(IReadOnlyList<string> namespaces, params (string Key, string Value)[] more)
    {
        var settings = namespaces.Select((ns, i) => (Key: string.Create(CultureInfo.InvariantCulture, $"Unidler:Namespaces:{i}"), Value: ns))
            .Concat(more)
            .ToDictionary(setting => setting.Key, setting => (string?)setting.Value);
        return settings;
    }

    private static int ServiceLists(OperatorEnvironment environment, string ns) =>
        environment.Api.Requests.Count(verb: "list", resource: "services", @namespace: ns, statusCode: 200);

    private static async Task AssertEachWokenOnceAsync(OperatorEnvironment environment, IReadOnlyList<string> namespaces)
    {
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "every row deleted");
        for (var i = 0; i < namespaces.Count; i++)
        {
            var name = $"svc-{i}";
            Assert.True(await environment.Workloads.ReplicasAsync(namespaces[i], name) == 2, $"{namespaces[i]}/{name} was not woken");
            Assert.Equal(1, environment.DeploymentScaleWrites(namespaces[i], name));
        }
    }
}
