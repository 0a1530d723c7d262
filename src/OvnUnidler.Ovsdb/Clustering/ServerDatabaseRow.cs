using System.Text.Json;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Clustering;

/// <summary>
/// A row of the _Server database's Database table (ovsdb-server(5)): how this server holds one
/// database and, for a clustered one, whether this member is connected to the cluster, whether it
/// is the leader, the Raft log index it exposes and the cluster's id (cid, set once the member
/// has joined; a cluster created anew, e.g. restored from a backup, has a new one).
/// </summary>
public sealed record ServerDatabaseRow(Guid Uuid, string Name, string Model, bool Connected, bool Leader, long? Index, Guid? Cid = null)
{
    public const string Database = "_Server";
    public const string Table = "Database";

    public static readonly IReadOnlyList<string> Columns = ["name", "model", "connected", "leader", "index", "cid"];

    public bool IsClustered => Model is "clustered" or "relay";

    public static ServerDatabaseRow Map(Guid uuid, JsonElement row) => new(
        uuid,
        OvsdbWire.ReadColumn(row, "name", OvsdbWire.ReadString, string.Empty),
        OvsdbWire.ReadColumn(row, "model", OvsdbWire.ReadString, string.Empty),
        OvsdbWire.ReadColumn(row, "connected", ReadBoolean, false),
        OvsdbWire.ReadColumn(row, "leader", ReadBoolean, false),
        OvsdbWire.ReadColumn(row, "index", value => OvsdbWire.ReadSet(value) is [var only] ? OvsdbWire.ReadInteger(only) : (long?)null, null),
        OvsdbWire.ReadColumn(row, "cid", OvsdbWire.ReadOptionalUuid, null));

    public static TableMonitorRequest<ServerDatabaseRow> Monitor() => new(Table, Columns, [], Map);

    private static bool ReadBoolean(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new FormatException($"expected a boolean, got {value.GetRawText()}"),
    };
}
