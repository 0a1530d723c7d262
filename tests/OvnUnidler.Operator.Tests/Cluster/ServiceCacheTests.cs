using k8s.Models;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Mapping;

namespace OvnUnidler.Operator.Tests.Cluster;

public sealed class ServiceCacheTests
{
    [Fact]
    public void The_cached_copy_keeps_identity_and_ports_and_drops_the_rest()
    {
        var index = new ServiceVipIndex();
        var cache = new ServiceCache(index);
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = "web",
                NamespaceProperty = "shop",
                Uid = "5d1c0b7e-0000-4000-8000-000000000001",
                ResourceVersion = "42",
                Labels = new Dictionary<string, string> { ["app"] = "web" },
                Annotations = new Dictionary<string, string> { ["note"] = new string('x', 10_000) },
            },
            Spec = new V1ServiceSpec
            {
                ClusterIP = "10.96.0.10",
                ClusterIPs = ["10.96.0.10"],
                Selector = new Dictionary<string, string> { ["app"] = "web" },
                Ports = [new V1ServicePort { Name = "http", Port = 80, NodePort = 30080, Protocol = "TCP", TargetPort = "web-port" }],
            },
        };

        cache.Upsert(cache.Keep(service));

        Assert.True(cache.TryGet(new ServiceKey("shop", "web"), out var kept));
        Assert.Equal(("web", "shop", "5d1c0b7e-0000-4000-8000-000000000001", "42"),
            (kept.Metadata.Name, kept.Metadata.NamespaceProperty, kept.Metadata.Uid, kept.Metadata.ResourceVersion));
        Assert.Null(kept.Metadata.Annotations);
        Assert.Null(kept.Spec.Selector);
        var port = Assert.Single(kept.Spec.Ports);
        Assert.Equal(("http", 80, 30080, "TCP", "web-port"), (port.Name, port.Port, port.NodePort, port.Protocol, port.TargetPort.Value));
    }

    [Fact]
    public void The_vip_index_follows_upserts_relists_and_removals()
    {
        var index = new ServiceVipIndex();
        var cache = new ServiceCache(index);
        var web = Service("web", "10.96.0.10");
        var api = Service("api", "10.96.0.11");

        cache.Replace("shop", [cache.Keep(web), cache.Keep(api)]);
        Assert.Equal(2, index.Count);

        cache.Replace("shop", [cache.Keep(api)]);
        Assert.False(cache.TryGet(new ServiceKey("shop", "web"), out _));
        Assert.Equal(1, index.Count);

        cache.Remove(api);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void A_relist_of_one_namespace_drops_only_that_namespaces_missing_services()
    {
        var index = new ServiceVipIndex();
        var cache = new ServiceCache(index);
        cache.Replace("shop", [cache.Keep(Service("web", "10.96.0.10")), cache.Keep(Service("api", "10.96.0.11"))]);
        cache.Replace("blog", [cache.Keep(Service("web", "10.96.0.20", "blog"))]);

        cache.Replace("shop", [cache.Keep(Service("api", "10.96.0.11"))]);

        Assert.False(cache.TryGet(new ServiceKey("shop", "web"), out _));
        Assert.True(cache.TryGet(new ServiceKey("shop", "api"), out _));
        Assert.True(cache.TryGet(new ServiceKey("blog", "web"), out _));
        Assert.Equal(2, index.Count);

        cache.Replace(null, [cache.Keep(Service("web", "10.96.0.20", "blog"))]);
        Assert.Equal(1, cache.Count);
        Assert.Equal(1, index.Count);
    }

    private static V1Service Service(string name, string clusterIp, string ns = "shop") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { ClusterIP = clusterIp, ClusterIPs = [clusterIp], Ports = [new V1ServicePort { Port = 80, Protocol = "TCP" }] },
    };
}
