using System.Text.Json.Nodes;
using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Faults;

public sealed class SouthboundFaultTests
{
    private static readonly Dictionary<string, string?> FastReconnect = new()
    {
        ["Southbound:ReconnectInitialBackoff"] = "00:00:00.050",
        ["Southbound:ReconnectMaxBackoff"] = "00:00:00.500",
    };

    [Fact]
    public async Task A_burst_survives_the_southbound_being_killed_and_restarted()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var scenario = new FaultScenario(environment, idledServices: 10);
        await scenario.CreateAsync();
        await using var unidler = await environment.StartOperatorAsync(FastReconnect);
        await unidler.WaitUntilReadyAsync();
        var burst = scenario.Burst(perService: 20, seed: 7);

        await environment.Southbound.InsertEventsAsync(burst.Take(100));
        await environment.SouthboundServer.KillAsync(TestContext.Current.CancellationToken);
        await environment.SouthboundServer.StartAsync(TestContext.Current.CancellationToken);
        await environment.Southbound.InsertEventsAsync(burst.Skip(100));

        await scenario.AssertEveryIdledServiceWokenOnceAndNoRowLeftAsync();
    }

    [Fact]
    public async Task A_burst_survives_the_raft_leader_of_a_three_member_southbound_being_killed()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        using var directory = LabDirectory.Create("raft");
        await using var cluster = await OvsdbCluster.StartAsync(directory.Path, OvnSchemas.Southbound, "OVN_Southbound", 3, TestContext.Current.CancellationToken);
        var scenario = new FaultScenario(environment, idledServices: 10);
        await scenario.CreateAsync();
        await using var unidler = await environment.StartOperatorAsync(
            new Dictionary<string, string?>(FastReconnect) { ["Southbound:Remote"] = cluster.ClientRemotes });
        await unidler.WaitUntilReadyAsync();
        var burst = scenario.Burst(perService: 20, seed: 11);
        var leader = await cluster.FindLeaderAsync(TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("the cluster has no leader");
        var survivor = cluster.Members.First(member => member != leader);
        var rows = new SouthboundRows(survivor);

        await rows.InsertEventsAsync(burst.Take(100));
        await leader.KillAsync(TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(async () => await cluster.FindLeaderAsync(TestContext.Current.CancellationToken) is { } next && next != leader,
            "a new Raft leader", TimeSpan.FromSeconds(30));
        await rows.InsertEventsAsync(burst.Skip(100));

        await scenario.AssertEveryIdledServiceWokenOnceAndNoRowLeftAsync(rows);
    }

    [Fact]
    public async Task An_online_schema_upgrade_of_the_southbound_loses_no_row()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var scenario = new FaultScenario(environment, idledServices: 6);
        await scenario.CreateAsync();
        await using var unidler = await environment.StartOperatorAsync(FastReconnect);
        await unidler.WaitUntilReadyAsync();
        var burst = scenario.Burst(perService: 10, seed: 3);
        var upgraded = await WriteUpgradedSchemaAsync(environment);

        await environment.Southbound.InsertEventsAsync(burst.Take(30));
        // As an OVN upgrade does: the running server converts its database; every monitor is cancelled.
        await environment.SouthboundServer.Commands.RunAsync(
            "ovsdb-client", ["convert", environment.SouthboundServer.UnixRemote, upgraded], TestContext.Current.CancellationToken);
        await environment.Southbound.InsertEventsAsync(burst.Skip(30));

        await scenario.AssertEveryIdledServiceWokenOnceAndNoRowLeftAsync();
        Assert.Contains("99.0.0", await environment.SouthboundServer.Commands.RunAsync(
            "ovsdb-client", ["get-schema-version", environment.SouthboundServer.UnixRemote, "OVN_Southbound"], TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_southbound_restarted_on_an_offline_converted_file_loses_no_row()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var scenario = new FaultScenario(environment, idledServices: 6);
        await scenario.CreateAsync();
        await using var unidler = await environment.StartOperatorAsync(FastReconnect);
        await unidler.WaitUntilReadyAsync();
        var burst = scenario.Burst(perService: 10, seed: 5);
        var upgraded = await WriteUpgradedSchemaAsync(environment);

        await environment.Southbound.InsertEventsAsync(burst.Take(30));
        await environment.SouthboundServer.StopAsync(TestContext.Current.CancellationToken);
        await environment.SouthboundServer.Commands.RunAsync(
            "ovsdb-tool", ["convert", environment.SouthboundServer.DatabaseFile, upgraded], TestContext.Current.CancellationToken);
        await environment.SouthboundServer.StartAsync(TestContext.Current.CancellationToken);
        await environment.Southbound.InsertEventsAsync(burst.Skip(30));

        await scenario.AssertEveryIdledServiceWokenOnceAndNoRowLeftAsync();
    }

    /// <summary>The installed Southbound schema with a version bump and a column added to Controller_Event.</summary>
    private static async Task<string> WriteUpgradedSchemaAsync(OperatorEnvironment environment)
    {
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(OvnSchemas.Southbound, TestContext.Current.CancellationToken))!.AsObject();
        schema["version"] = "99.0.0";
        schema["tables"]!["Controller_Event"]!["columns"]!["unidler_note"] = new JsonObject { ["type"] = "string" };
        var path = Path.Combine(Path.GetDirectoryName(environment.SouthboundServer.DatabaseFile)!, "ovn-sb-upgraded.ovsschema");
        await File.WriteAllTextAsync(path, schema.ToJsonString(), TestContext.Current.CancellationToken);
        return path;
    }
}
