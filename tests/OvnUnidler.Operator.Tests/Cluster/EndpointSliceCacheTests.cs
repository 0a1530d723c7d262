using k8s.Models;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Mapping;

namespace OvnUnidler.Operator.Tests.Cluster;

public sealed class EndpointSliceCacheTests
{
    private static readonly ServiceKey Web = new("shop", "web");

    [Fact]
    public void Ready_endpoints_of_a_service_come_from_all_its_slices_and_only_its_own()
    {
        var cache = new EndpointSliceCache();
        cache.Replace(null, [
            cache.Keep(Slice("web-a", "web", ("10.244.0.5", true))),
            cache.Keep(Slice("web-b", "web", ("10.244.1.7", null))),
            cache.Keep(Slice("api-a", "api", ("10.244.2.9", true))),
            cache.Keep(Slice("web-c", "web", ("10.244.3.3", true), ns: "other")),
        ]);

        var ready = cache.ReadyEndpoints(Web);

        Assert.Equal(["10.244.0.5", "10.244.1.7"], ready.Select(endpoint => endpoint.Address).Order(StringComparer.Ordinal));
        Assert.Equal(8080, ready[0].Ports["http"]);
    }

    [Fact]
    public void Endpoints_not_ready_are_left_out()
    {
        var cache = new EndpointSliceCache();
        cache.Upsert(cache.Keep(Slice("web-a", "web", ("10.244.0.5", false), ("10.244.0.6", true))));

        Assert.Equal(["10.244.0.6"], cache.ReadyEndpoints(Web).Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void A_slice_relabelled_to_another_service_no_longer_counts_for_the_first()
    {
        var cache = new EndpointSliceCache();
        cache.Upsert(cache.Keep(Slice("shared", "web", ("10.244.0.5", true))));

        cache.Upsert(cache.Keep(Slice("shared", "api", ("10.244.0.5", true))));

        Assert.Empty(cache.ReadyEndpoints(Web));
        Assert.Single(cache.ReadyEndpoints(new ServiceKey("shop", "api")));
    }

    [Fact]
    public void Removing_or_relisting_without_a_slice_drops_its_endpoints()
    {
        var cache = new EndpointSliceCache();
        var first = Slice("web-a", "web", ("10.244.0.5", true));
        var second = Slice("web-b", "web", ("10.244.1.7", true));
        cache.Replace("shop", [cache.Keep(first), cache.Keep(second)]);

        cache.Remove(first);
        Assert.Equal(["10.244.1.7"], cache.ReadyEndpoints(Web).Select(endpoint => endpoint.Address));

        cache.Replace("shop", []);
        Assert.Empty(cache.ReadyEndpoints(Web));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Relisting_one_namespace_keeps_the_slices_of_the_others()
    {
        var cache = new EndpointSliceCache();
        cache.Replace("shop", [cache.Keep(Slice("web-a", "web", ("10.244.0.5", true)))]);
        cache.Replace("other", [cache.Keep(Slice("web-c", "web", ("10.244.3.3", true), ns: "other"))]);

        cache.Replace("shop", [cache.Keep(Slice("web-b", "web", ("10.244.1.7", true)))]);

        Assert.Equal(["10.244.1.7"], cache.ReadyEndpoints(Web).Select(endpoint => endpoint.Address));
        Assert.Equal(["10.244.3.3"], cache.ReadyEndpoints(new ServiceKey("other", "web")).Select(endpoint => endpoint.Address));

        cache.Replace(null, []);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Every_change_completes_the_pending_change_signal()
    {
        var cache = new EndpointSliceCache();
        var next = cache.NextChange;

        cache.Upsert(cache.Keep(Slice("web-a", "web", ("10.244.0.5", true))));

        await next.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    private static V1EndpointSlice Slice(string name, string service, params (string Address, bool? Ready)[] endpoints) =>
        Slice(name, service, endpoints, "shop");

    private static V1EndpointSlice Slice(string name, string service, (string Address, bool? Ready) endpoint, string ns) =>
        Slice(name, service, [endpoint], ns);

    private static V1EndpointSlice Slice(string name, string service, (string Address, bool? Ready)[] endpoints, string ns) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { [EndpointSliceCache.ServiceNameLabel] = service },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
        Endpoints = [.. endpoints.Select(endpoint => new V1Endpoint
        {
            Addresses = [endpoint.Address],
            Conditions = new V1EndpointConditions { Ready = endpoint.Ready },
        })],
    };
}
