using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.Lab.Databases;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>
/// Reads and writes a real Southbound with ovsdb-client, independently of the operator's own
/// OVSDB client, so assertions see the database as OVN sees it.
/// </summary>
public sealed class SouthboundRows(OvsdbServer server)
{
    private int chassisCount;

    public async Task<Guid> AddChassisAsync(string name)
    {
        // Encap (type, ip) is unique in the schema, as every chassis has its own tunnel endpoint.
        var number = Interlocked.Increment(ref chassisCount);
        var encapIp = $"127.1.{number / 250}.{(number % 250) + 1}";
        var result = await TransactAsync(
            new JsonObject { ["op"] = "insert", ["table"] = "Encap", ["uuid-name"] = "encap", ["row"] = new JsonObject
            {
                ["type"] = "geneve", ["ip"] = encapIp, ["chassis_name"] = name,
            } },
            new JsonObject { ["op"] = "insert", ["table"] = "Chassis", ["row"] = new JsonObject
            {
                ["name"] = name, ["hostname"] = name, ["encaps"] = new JsonArray("named-uuid", "encap"),
            } });
        return UuidOf(result[1]!);
    }

    public async Task<IReadOnlyList<Guid>> InsertEventsAsync(IEnumerable<EventRow> rows)
    {
        var operations = rows.Select(row => (JsonNode)new JsonObject
        {
            ["op"] = "insert",
            ["table"] = "Controller_Event",
            ["row"] = new JsonObject
            {
                ["event_type"] = row.EventType,
                ["seq_num"] = row.SeqNum,
                ["chassis"] = row.Chassis is { } chassis ? new JsonArray("uuid", chassis.ToString()) : new JsonArray("set", new JsonArray()),
                ["event_info"] = new JsonArray("map", new JsonArray([.. row.EventInfo.Select(pair => (JsonNode)new JsonArray(pair.Key, pair.Value))])),
            },
        }).ToArray();
        var uuids = new List<Guid>();
        foreach (var chunk in operations.Chunk(5000))
        {
            var result = await TransactAsync(chunk);
            uuids.AddRange(result.Take(chunk.Length).Select(node => UuidOf(node!)));
        }

        return uuids;
    }

    public Task<Guid> InsertEventAsync(string vip, string protocol = "tcp", Guid? loadBalancer = null, Guid? chassis = null, long seqNum = 1) =>
        InsertEventsAsync([EventRow.For(vip, protocol, loadBalancer, chassis, seqNum)]).ContinueWith(task => task.Result[0], TaskScheduler.Default);

    public async Task<IReadOnlyList<Guid>> EventRowUuidsAsync()
    {
        var result = await TransactAsync(new JsonObject
        {
            ["op"] = "select", ["table"] = "Controller_Event", ["where"] = new JsonArray(), ["columns"] = new JsonArray("_uuid"),
        });
        return [.. result[0]!["rows"]!.AsArray().Select(row => UuidOf(row!))];
    }

    /// <summary>Every Controller_Event row as OVN stores it.</summary>
    public async Task<IReadOnlyList<EventRow>> EventRowsAsync()
    {
        var result = await TransactAsync(new JsonObject { ["op"] = "select", ["table"] = "Controller_Event", ["where"] = new JsonArray() });
        return [.. result[0]!["rows"]!.AsArray().Select(row =>
        {
            var chassis = row!["chassis"]!.AsArray();
            Guid? chassisUuid = chassis[0]!.GetValue<string>() == "uuid" ? Guid.Parse(chassis[1]!.GetValue<string>()) : null;
            var info = row["event_info"]!.AsArray()[1]!.AsArray()
                .ToDictionary(pair => pair!.AsArray()[0]!.GetValue<string>(), pair => pair!.AsArray()[1]!.GetValue<string>());
            return new EventRow(row["event_type"]!.GetValue<string>(), row["seq_num"]!.GetValue<long>(), chassisUuid, info);
        })];
    }

    public async Task<int> CountEventRowsAsync() => (await EventRowUuidsAsync()).Count;

    private async Task<JsonArray> TransactAsync(params JsonNode[] operations)
    {
        var transaction = new JsonArray([JsonValue.Create("OVN_Southbound"), .. operations.Select(operation => operation.DeepClone())]);
        var output = await server.TransactAsync(transaction.ToJsonString(), TestContext.Current.CancellationToken);
        var result = JsonNode.Parse(output)!.AsArray();
        foreach (var item in result)
        {
            if (item?["error"] is { } error)
            {
                throw new InvalidOperationException($"Southbound transaction failed: {error} {item["details"]}");
            }
        }

        return result;
    }

    private static Guid UuidOf(JsonNode node) =>
        Guid.Parse((node["uuid"] ?? node["_uuid"])!.AsArray()[1]!.GetValue<string>());
}
