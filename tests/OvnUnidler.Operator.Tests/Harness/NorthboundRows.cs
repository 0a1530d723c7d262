using System.Text.Json.Nodes;
using OvnUnidler.Lab.Databases;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>Load balancers in a real Northbound, written and read with ovsdb-client.</summary>
public sealed class NorthboundRows(OvsdbServer server)
{
    /// <summary>A load balancer as ovn-kubernetes writes one for an idled Service: VIPs with no backends, event=true.</summary>
    public async Task<Guid> AddLoadBalancerAsync(string name, IEnumerable<string> vips, string protocol = "tcp", string? owner = null)
    {
        var externalIds = new JsonArray();
        if (owner is not null)
        {
            externalIds.Add(new JsonArray("k8s.ovn.org/kind", "Service"));
            externalIds.Add(new JsonArray("k8s.ovn.org/owner", owner));
        }

        var result = await TransactAsync(new JsonObject
        {
            ["op"] = "insert",
            ["table"] = "Load_Balancer",
            ["row"] = new JsonObject
            {
                ["name"] = name,
                ["protocol"] = protocol,
                ["vips"] = new JsonArray("map", new JsonArray([.. vips.Select(vip => (JsonNode)new JsonArray(vip, ""))])),
                ["options"] = new JsonArray("map", new JsonArray(new JsonArray("event", "true"))),
                ["external_ids"] = new JsonArray("map", externalIds),
            },
        });
        return Guid.Parse(result[0]!["uuid"]!.AsArray()[1]!.GetValue<string>());
    }

    /// <summary>Sets one VIP's backends, as the CNI does once endpoints are ready.</summary>
    public Task SetBackendsAsync(Guid loadBalancer, string vip, string backends) => TransactAsync(new JsonObject
    {
        ["op"] = "mutate",
        ["table"] = "Load_Balancer",
        ["where"] = new JsonArray(new JsonArray("_uuid", "==", new JsonArray("uuid", loadBalancer.ToString()))),
        ["mutations"] = new JsonArray(
            new JsonArray("vips", "delete", new JsonArray("set", new JsonArray(vip))),
            new JsonArray("vips", "insert", new JsonArray("map", new JsonArray(new JsonArray(vip, backends))))),
    });

    public async Task<IReadOnlyDictionary<string, string>> VipsAsync(Guid loadBalancer)
    {
        var result = await TransactAsync(new JsonObject
        {
            ["op"] = "select",
            ["table"] = "Load_Balancer",
            ["where"] = new JsonArray(new JsonArray("_uuid", "==", new JsonArray("uuid", loadBalancer.ToString()))),
            ["columns"] = new JsonArray("vips"),
        });
        var pairs = result[0]!["rows"]!.AsArray()[0]!["vips"]!.AsArray()[1]!.AsArray();
        return pairs.ToDictionary(pair => pair!.AsArray()[0]!.GetValue<string>(), pair => pair!.AsArray()[1]!.GetValue<string>());
    }

    /// <summary>Replaces these external_ids keys (delete, then insert: an insert skips existing keys).</summary>
    public Task SetExternalIdsAsync(Guid loadBalancer, IReadOnlyDictionary<string, string> pairs) => TransactAsync(new JsonObject
    {
        ["op"] = "mutate",
        ["table"] = "Load_Balancer",
        ["where"] = new JsonArray(new JsonArray("_uuid", "==", new JsonArray("uuid", loadBalancer.ToString()))),
        ["mutations"] = new JsonArray(
            new JsonArray("external_ids", "delete", new JsonArray("set", new JsonArray([.. pairs.Keys.Select(key => (JsonNode)key)]))),
            new JsonArray("external_ids", "insert", new JsonArray("map", new JsonArray([.. pairs.Select(pair => (JsonNode)new JsonArray(pair.Key, pair.Value))])))),
    });

    public async Task<IReadOnlyDictionary<string, string>> ExternalIdsAsync(Guid loadBalancer)
    {
        var result = await TransactAsync(new JsonObject
        {
            ["op"] = "select",
            ["table"] = "Load_Balancer",
            ["where"] = new JsonArray(new JsonArray("_uuid", "==", new JsonArray("uuid", loadBalancer.ToString()))),
            ["columns"] = new JsonArray("external_ids"),
        });
        var pairs = result[0]!["rows"]!.AsArray()[0]!["external_ids"]!.AsArray()[1]!.AsArray();
        return pairs.ToDictionary(pair => pair!.AsArray()[0]!.GetValue<string>(), pair => pair!.AsArray()[1]!.GetValue<string>());
    }

    /// <summary>Runs operations as they are and returns ovsdb-server's answer, errors included.</summary>
    public Task<JsonArray> TransactAnsweringAsync(IEnumerable<JsonNode> operations) => TransactAsync(failOnError: false, [.. operations]);

    private Task<JsonArray> TransactAsync(params JsonNode[] operations) => TransactAsync(failOnError: true, operations);

    private async Task<JsonArray> TransactAsync(bool failOnError, JsonNode[] operations)
    {
        var transaction = new JsonArray([JsonValue.Create("OVN_Northbound"), .. operations]);
        var output = await server.TransactAsync(transaction.ToJsonString(), TestContext.Current.CancellationToken);
        var result = JsonNode.Parse(output)!.AsArray();
        if (failOnError && result.FirstOrDefault(item => item?["error"] is not null) is { } failed)
        {
            throw new InvalidOperationException($"Northbound transaction failed: {failed}");
        }

        return result;
    }
}
