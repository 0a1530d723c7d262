using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>What the client needs of a monitor of any row type to (re)establish and feed it.</summary>
internal interface ITableMonitor
{
    string Database { get; }

    string MonitorId { get; }

    string Table { get; }

    IReadOnlyList<string> Columns { get; }

    string LastTransactionId { get; set; }

    bool IsCancelled { get; }

    /// <summary>The connection the monitor was last established on, so it is not established there twice.</summary>
    object? EstablishedOn { get; set; }

    JsonObject BuildRequest(IReadOnlySet<string>? knownColumns);

    /// <summary>The schema's column types, read on each connection (an online conversion may change them).</summary>
    void UseColumnKinds(IReadOnlyDictionary<string, OvsdbColumnKind> kinds);

    /// <summary>A sink for one message's table-updates, reading rows as they arrive.</summary>
    ITableUpdateCollector CreateCollector(int tableUpdatesIndex = -1);

    /// <summary>
    /// A sink for a monitor reply. Into an empty cache, and when the request asks for it, rows are
    /// handed to the handler in chunks while the reply streams (<see cref="TableMonitorRequest{TRow}.StreamInitialRows"/>).
    /// </summary>
    ITableUpdateCollector CreateReplyCollector(int tableUpdatesIndex, CancellationToken cancellationToken);

    /// <summary>Applies collected updates; with <paramref name="resync"/> they are the complete table and replace the cache.</summary>
    ValueTask ApplyAsync(ITableUpdateCollector updates, bool resync, CancellationToken cancellationToken);

    /// <summary>Applies a monitor reply: the whole table (monitor_cond, or monitor_cond_since that did not find our transaction) or what followed it.</summary>
    ValueTask ApplyReplyAsync(ITableUpdateCollector reply, CancellationToken cancellationToken);

    /// <summary>Applies an update2/update3 notification, then takes its transaction id as the resume point.</summary>
    ValueTask ApplyUpdateAsync(MonitorUpdate update, CancellationToken cancellationToken);

    /// <summary>Waits until the current connection's initial state was applied, so updates apply after it.</summary>
    Task InitialApplied { get; }

    void ResetInitial();

    void CompleteInitial();

    void Cancel();
}
