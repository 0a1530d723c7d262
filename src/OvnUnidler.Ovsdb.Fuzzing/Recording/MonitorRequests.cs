using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Clustering;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Ovsdb.Fuzzing.Recording;

/// <summary>The params of the planned monitor requests, built by the monitors the operator uses, so the server answers what it answers the client.</summary>
internal static class MonitorRequests
{
    public const string ZeroTransactionId = "00000000-0000-0000-0000-000000000000";

    public static JsonArray For(PlannedCall call, string lastTransactionId = ZeroTransactionId, string? table = null)
    {
        ITableMonitor monitor = call.Database switch
        {
            OvnTables.Southbound => new TableMonitor<ControllerEventRow>(call.Database, call.MonitorId!, ControllerEventRow.EmptyLbBackendsMonitor(), Ignore),
            OvnTables.Northbound => new TableMonitor<LoadBalancerRow>(call.Database, call.MonitorId!, LoadBalancerRow.Monitor(), Ignore),
            _ => new TableMonitor<ServerDatabaseRow>(call.Database!, call.MonitorId!, ServerDatabaseRow.Monitor(), Ignore),
        };
        var requests = new JsonObject { [table ?? monitor.Table] = new JsonArray(monitor.BuildRequest(null)) };
        return call.IsSince
            ? new JsonArray(call.Database, call.MonitorId, requests, lastTransactionId)
            : new JsonArray(call.Database, call.MonitorId, requests);
    }

    private static ValueTask Ignore<TRow>(TableChangeBatch<TRow> batch, CancellationToken cancellationToken)
        where TRow : class => ValueTask.CompletedTask;
}
