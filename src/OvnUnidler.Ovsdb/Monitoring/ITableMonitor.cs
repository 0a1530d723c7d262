using System.Text.Json.Nodes;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>What the client needs of a monitor of any row type to (re)establish and feed it.</summary>
internal interface ITableMonitor
{
    string Database { get; }

    string MonitorId { get; }

    string Table { get; }

    IReadOnlyList<string> Columns { get; }

    string LastTransactionId { get; set; }

    JsonObject BuildRequest(IReadOnlySet<string>? knownColumns);

    /// <summary>Applies table-updates2; with <paramref name="resync"/> it is the complete table and replaces the cache.</summary>
    ValueTask ApplyAsync(ReadOnlyMemory<byte> tableUpdates, bool resync, CancellationToken cancellationToken);

    /// <summary>Waits until the current connection's initial state was applied, so updates apply after it.</summary>
    Task InitialApplied { get; }

    void ResetInitial();

    void CompleteInitial();
}
