using System.Text.Json;
using OvnUnidler.Lab.Databases;

namespace OvnUnidler.Ovsdb.Tests.Harness;

/// <summary>Reads and writes tables through ovsdb-client, the reference the client under test is compared with.</summary>
public sealed class ServerTables(OvsdbServer server)
{
    /// <summary>`ovsdb-client -f json transact` select of a whole table, rows by uuid.</summary>
    public async Task<Dictionary<Guid, JsonElement>> SelectAsync(string table, string database = "OVN_Southbound")
    {
        var output = await server.Commands.RunAsync(
            "ovsdb-client", ["-f", "json", "transact", server.UnixRemote, $$"""["{{database}}",{"op":"select","table":"{{table}}","where":[]}]"""],
            TestContext.Current.CancellationToken).Within(Deadline.Long);
        using var document = JsonDocument.Parse(output);
        return document.RootElement[0].GetProperty("rows").EnumerateArray()
            .ToDictionary(row => Guid.Parse(row.GetProperty("_uuid")[1].GetString()!), row => row.Clone());
    }

    public Task<string> TransactAsync(string operationsJson, string database = "OVN_Southbound") =>
        server.TransactAsync($"[\"{database}\",{operationsJson}]", TestContext.Current.CancellationToken).Within(Deadline.Long);

    public Task UpdateAsync(string table, Guid uuid, string rowJson) =>
        TransactAsync("{\"op\":\"update\",\"table\":\"" + table + "\",\"where\":" + WhereUuid(uuid) + ",\"row\":" + rowJson + "}");

    public Task MutateAsync(string table, Guid uuid, string mutationsJson) =>
        TransactAsync("{\"op\":\"mutate\",\"table\":\"" + table + "\",\"where\":" + WhereUuid(uuid) + ",\"mutations\":" + mutationsJson + "}");

    public Task DeleteAsync(string table, Guid uuid) =>
        TransactAsync("{\"op\":\"delete\",\"table\":\"" + table + "\",\"where\":" + WhereUuid(uuid) + "}");

    public static string WhereUuid(Guid uuid) => $"[[\"_uuid\",\"==\",[\"uuid\",\"{uuid}\"]]]";

    public Task ClearAsync(string table, string database = "OVN_Southbound") =>
        TransactAsync($$"""{"op":"delete","table":"{{table}}","where":[]}""", database);

    /// <summary>Inserts Controller_Event rows (seq_num given) and returns their uuids.</summary>
    public async Task<List<Guid>> InsertEventsAsync(IEnumerable<long> seqNums, string vipPrefix = "10.0.0.")
    {
        var operations = seqNums.Select(seq =>
            $$$"""{"op":"insert","table":"Controller_Event","row":{"event_type":"empty_lb_backends","seq_num":{{{seq}}},"event_info":["map",[["load_balancer","{{{Guid.NewGuid()}}}"],["protocol","tcp"],["vip","{{{vipPrefix}}}{{{seq % 250}}}:80"]]]}}""");
        var output = await TransactAsync(string.Join(',', operations));
        using var document = JsonDocument.Parse(output);
        return [.. document.RootElement.EnumerateArray().Select(result => Guid.Parse(result.GetProperty("uuid")[1].GetString()!))];
    }
}
