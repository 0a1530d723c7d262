using System.Text.Json;
using OvnUnidler.Ovsdb.Transactions;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>What to monitor of one table and how to read its rows.</summary>
/// <param name="Map">Reads a row (only the monitored columns; RFC 7047 omits columns at their default) into TRow; may throw FormatException.</param>
/// <param name="RetainRawRows">Keep each row's JSON so update2 "modify" diffs can be applied; tables whose rows are never modified can save that memory.</param>
public sealed record TableMonitorRequest<TRow>(
    string Table,
    IReadOnlyList<string> Columns,
    IReadOnlyList<OvsdbCondition> Where,
    Func<Guid, JsonElement, TRow> Map,
    bool RetainRawRows = true)
    where TRow : class;
