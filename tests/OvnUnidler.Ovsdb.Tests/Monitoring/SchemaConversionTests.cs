using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Tests.Harness;

namespace OvnUnidler.Ovsdb.Tests.Monitoring;

public sealed class SchemaConversionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Online_conversion_cancels_the_monitor_and_the_client_monitors_again_with_the_new_schema_without_loss()
    {
        using var directory = LabDirectory.Create("convert");
        await using var server = await OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = directory.Path }, Ct).Within(Deadline.Long);
        var tables = new ServerTables(server);
        var before = await tables.InsertEventsAsync([1, 2, 3]);
        var recorder = new BatchRecorder<ControllerEventRow>();
        var states = new ConcurrentQueue<OvsdbConnectionState>();
        var log = new TestOutputLogger<OvsdbClient>("client");
        await using var client = Clients.Create(server.UnixRemote, logger: log);
        client.StateChanged += states.Enqueue;
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.EmptyLbBackendsMonitor(), recorder.Handler);
        await client.StartAsync(Ct);
        await monitor.WaitForInitialAsync(Ct).Within();

        var newSchema = WriteUpgradedSchema(directory.Path);
        await server.Commands.RunAsync("ovsdb-client", ["convert", server.UnixRemote, newSchema], Ct).Within(Deadline.Long);
        var after = await tables.InsertEventsAsync([4, 5]);
        // Event 9004: the server cancelled the monitor (the client asked, with set_db_change_aware, to be told so).
        await Eventually.TrueAsync(() => log.Logged(9004), "the server to cancel the monitor");
        var schema = await client.GetSchemaAsync(OvnTables.Southbound, Ct).Within();
        var expected = await tables.SelectAsync(OvnTables.ControllerEvent);
        await Eventually.TrueAsync(() => monitor.Rows.Keys.ToHashSet().SetEquals(expected.Keys), "the cache to equal the converted table");

        Assert.Equal("20.27.1", schema.GetProperty("version").GetString());
        Assert.True(schema.GetProperty("tables").GetProperty("Controller_Event").GetProperty("columns").TryGetProperty("note", out _));
        Assert.Subset(monitor.Rows.Keys.ToHashSet(), before.Concat(after).ToHashSet());
        Assert.Equal(5, monitor.Count);
        Assert.DoesNotContain(states, state => state.Status == OvsdbConnectionStatus.Disconnected);
        Assert.Empty(recorder.Anomalies);
    }

    /// <summary>The Southbound schema with a higher version and a new optional column in Controller_Event.</summary>
    private static string WriteUpgradedSchema(string directory)
    {
        var schema = JsonNode.Parse(File.ReadAllText(OvnSchemas.Southbound))!.AsObject();
        schema["version"] = "20.27.1";
        schema["tables"]!["Controller_Event"]!["columns"]!["note"] = new JsonObject
        {
            ["type"] = new JsonObject { ["key"] = "string", ["min"] = 0, ["max"] = 1 },
        };
        var path = Path.Combine(directory, "sb-upgraded.ovsschema");
        File.WriteAllText(path, schema.ToJsonString());
        return path;
    }
}
