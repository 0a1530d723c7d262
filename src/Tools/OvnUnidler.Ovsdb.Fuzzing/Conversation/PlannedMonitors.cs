using OvnUnidler.Ovsdb.Clustering;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Ovsdb.Fuzzing.Conversation;

/// <summary>
/// The monitor the operator makes for a planned monitor call, by its database: Controller_Event
/// (Southbound), Load_Balancer (Northbound) or the _Server Database table. The recorder builds its
/// requests from it and the decoder feeds it, so both see the tables and columns the client uses.
/// </summary>
internal static class PlannedMonitors
{
    public static ITableMonitor Create(
        PlannedCall call,
        Func<TableChangeBatch<ControllerEventRow>, CancellationToken, ValueTask> events,
        Func<TableChangeBatch<LoadBalancerRow>, CancellationToken, ValueTask> balancers,
        Func<TableChangeBatch<ServerDatabaseRow>, CancellationToken, ValueTask> server) => call.Database switch
        {
            OvnTables.Southbound => new TableMonitor<ControllerEventRow>(call.Database, call.MonitorId!, ControllerEventRow.EmptyLbBackendsMonitor(), events),
            OvnTables.Northbound => new TableMonitor<LoadBalancerRow>(call.Database, call.MonitorId!, LoadBalancerRow.Monitor(), balancers),
            _ => new TableMonitor<ServerDatabaseRow>(call.Database!, call.MonitorId!, ServerDatabaseRow.Monitor(), server),
        };

    /// <summary>A monitor whose changes go nowhere: for its request and the table it names.</summary>
    public static ITableMonitor Create(PlannedCall call) => Create(call, Ignore, Ignore, Ignore);

    private static ValueTask Ignore<TRow>(TableChangeBatch<TRow> batch, CancellationToken cancellationToken)
        where TRow : class => ValueTask.CompletedTask;
}
