using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;

namespace OvnUnidler.Ovsdb.Fuzzing.Recording;

/// <summary>The params of the planned monitor requests, built by the monitors the operator uses, so the server answers what it answers the client.</summary>
internal static class MonitorRequests
{
    /// <param name="lastTransactionId">For monitor_cond_since: where to resume; null for a new monitor's (all zeros).</param>
    public static JsonArray For(PlannedCall call, string? lastTransactionId = null, string? table = null)
    {
        var monitor = PlannedMonitors.Create(call);
        var requests = new JsonObject { [table ?? monitor.Table] = new JsonArray(monitor.BuildRequest(null)) };
        return call.IsSince
            ? new JsonArray(call.Database, call.MonitorId, requests, lastTransactionId ?? monitor.LastTransactionId)
            : new JsonArray(call.Database, call.MonitorId, requests);
    }
}
