using System.Text.Json;

namespace OvnUnidler.Lab.Ovn;

/// <summary>
/// One OVN_Southbound Controller_Event row as a test reads it back. <see cref="Chassis"/> is the
/// Chassis row's _uuid, or null once that row is gone (a weak reference, ovn-sb(5)).
/// </summary>
public sealed record LabControllerEvent(
    string Uuid, string? Chassis, string EventType, IReadOnlyDictionary<string, string> EventInfo, long SeqNum)
{
    public string? Vip => EventInfo.GetValueOrDefault("vip");

    public string? Protocol => EventInfo.GetValueOrDefault("protocol");

    public string? LoadBalancer => EventInfo.GetValueOrDefault("load_balancer");

    /// <summary>
    /// Reads a row of a select result. RFC 7047 5.1: a uuid is ["uuid", s], a map is
    /// ["map", [[k, v], ...]], and an optional reference (min 0, max 1) that is empty is ["set", []].
    /// </summary>
    internal static LabControllerEvent FromRow(JsonElement row)
    {
        var uuid = row.GetProperty("_uuid")[1].GetString() ?? string.Empty;
        var chassis = row.GetProperty("chassis") is { ValueKind: JsonValueKind.Array } reference && reference[0].GetString() == "uuid"
            ? reference[1].GetString()
            : null;
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in row.GetProperty("event_info")[1].EnumerateArray())
        {
            info[pair[0].GetString() ?? string.Empty] = pair[1].GetString() ?? string.Empty;
        }

        return new LabControllerEvent(uuid, chassis, row.GetProperty("event_type").GetString() ?? string.Empty, info, row.GetProperty("seq_num").GetInt64());
    }
}
