using OvnUnidler.Ovsdb.Clustering;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Ovsdb.Fuzzing.Conversation;

/// <summary>
/// The ids of every request in the recorded conversations. Each id means one method (and database,
/// monitor, number of operations) in every seed, so the decoder knows, as the client knows from its
/// pending calls, which reply it is reading; a mutated id is a reply nobody waits for.
/// </summary>
public static class CallPlan
{
    public const string UnknownDatabase = "No_Such_Database";

    // Monitor ids as the client makes them ("TABLE#N"), and the _Server monitor's fixed id.
    public const string ServerMonitor = "_Server";
    public const string EventsSince = "Controller_Event#1";
    public const string EventsCond = "Controller_Event#2";
    public const string BalancersSince = "Load_Balancer#3";
    public const string BalancersCond = "Load_Balancer#4";
    public const string EventsRefused = "Controller_Event#5";

    public static readonly PlannedCall ListDatabases = new(1, CallKind.ListDatabases, "list_dbs");
    public static readonly PlannedCall SouthboundSchema = new(2, CallKind.GetSchema, "get_schema", OvnTables.Southbound);
    public static readonly PlannedCall NorthboundSchema = new(3, CallKind.GetSchema, "get_schema", OvnTables.Northbound);
    public static readonly PlannedCall ServerSchema = new(4, CallKind.GetSchema, "get_schema", ServerDatabaseRow.Database);
    public static readonly PlannedCall ChangeAware = new(5, CallKind.SetDbChangeAware, "set_db_change_aware");
    public static readonly PlannedCall UnknownSchema = new(6, CallKind.GetSchema, "get_schema", UnknownDatabase);
    public static readonly PlannedCall UnknownMethod = new(7, CallKind.UnknownMethod, "no_such_method");
    public static readonly PlannedCall MonitorEventsSince = new(10, CallKind.Monitor, "monitor_cond_since", OvnTables.Southbound, EventsSince);
    public static readonly PlannedCall MonitorEventsCond = new(11, CallKind.Monitor, "monitor_cond", OvnTables.Southbound, EventsCond);
    public static readonly PlannedCall MonitorBalancersSince = new(12, CallKind.Monitor, "monitor_cond_since", OvnTables.Northbound, BalancersSince);
    public static readonly PlannedCall MonitorBalancersCond = new(13, CallKind.Monitor, "monitor_cond", OvnTables.Northbound, BalancersCond);
    public static readonly PlannedCall MonitorServer = new(14, CallKind.Monitor, "monitor_cond_since", ServerDatabaseRow.Database, ServerMonitor);
    public static readonly PlannedCall MonitorRefused = new(15, CallKind.Monitor, "monitor_cond", OvnTables.Southbound, EventsRefused);
    public static readonly PlannedCall CancelEventsCond = new(16, CallKind.MonitorCancel, "monitor_cancel", OvnTables.Southbound, EventsCond);
    public static readonly PlannedCall InsertEvents = new(20, CallKind.Transact, "transact", OvnTables.Southbound, Operations: 3);
    public static readonly PlannedCall DeleteEvent = new(21, CallKind.Transact, "transact", OvnTables.Southbound, Operations: 1);
    public static readonly PlannedCall DeleteChassis = new(22, CallKind.Transact, "transact", OvnTables.Southbound, Operations: 1);
    public static readonly PlannedCall RefusedInsert = new(23, CallKind.Transact, "transact", OvnTables.Southbound, Operations: 1);
    public static readonly PlannedCall SelectEvents = new(24, CallKind.Transact, "transact", OvnTables.Southbound, Operations: 1);
    public static readonly PlannedCall InsertBalancers = new(25, CallKind.Transact, "transact", OvnTables.Northbound, Operations: 3);
    public static readonly PlannedCall UpdateVips = new(26, CallKind.Transact, "transact", OvnTables.Northbound, Operations: 1);
    public static readonly PlannedCall MutateExternalIds = new(27, CallKind.Transact, "transact", OvnTables.Northbound, Operations: 1);
    public static readonly PlannedCall DeleteBalancer = new(28, CallKind.Transact, "transact", OvnTables.Northbound, Operations: 1);
    public static readonly PlannedCall TransactUnknownDatabase = new(29, CallKind.Transact, "transact", UnknownDatabase, Operations: 1);
    public static readonly PlannedCall Echo = new(30, CallKind.Echo, "echo");

    public static IReadOnlyList<PlannedCall> All { get; } =
    [
        ListDatabases, SouthboundSchema, NorthboundSchema, ServerSchema, ChangeAware, UnknownSchema, UnknownMethod,
        MonitorEventsSince, MonitorEventsCond, MonitorBalancersSince, MonitorBalancersCond, MonitorServer, MonitorRefused, CancelEventsCond,
        InsertEvents, DeleteEvent, DeleteChassis, RefusedInsert, SelectEvents, InsertBalancers, UpdateVips, MutateExternalIds, DeleteBalancer,
        TransactUnknownDatabase, Echo,
    ];

    public static IReadOnlyDictionary<long, PlannedCall> ById { get; } = All.ToDictionary(call => call.Id);

    public static IEnumerable<PlannedCall> Monitors => All.Where(call => call.Kind == CallKind.Monitor);
}
