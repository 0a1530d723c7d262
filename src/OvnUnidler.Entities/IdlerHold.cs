using System.Text.Json.Serialization;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities;

// What the operator's connection holder kept for the Service during one wake (issue 16), counted
// once the hold ended and nothing it took in waited any more. Property order is column order.
[Description("The last hold of the Service's connections and datagrams during a wake; recorded when it ended. A wake without holding leaves it as it was.")]
public sealed class IdlerHold
{
    [Required]
    [RangeMinimum(0)]
    [AdditionalPrinterColumn(PrinterColumnPriority.WideView, "Held")]
    [Description("TCP connections and UDP flows the holder took in (connections + flows).")]
    [JsonPropertyName("held")]
    public int Held { get; set; }

    [Required]
    [Description("When the hold started: when the wake started and the VIP was pointed at the holder.")]
    [JsonPropertyName("startedAt")]
    public DateTimeOffset StartedAt { get; set; }

    [Required]
    [Description("How long the hold lasted, as a duration (e.g. 850ms, 8.2s, 2m3s).")]
    [JsonPropertyName("duration")]
    public string Duration { get; set; } = "";

    [Required]
    [JsonPropertyName("end")]
    public IdlerHoldEnd End { get; set; }

    [Required]
    [RangeMinimum(0)]
    [Description("TCP connections the holder took in within its bounds.")]
    [JsonPropertyName("connections")]
    public int Connections { get; set; }

    [Required]
    [RangeMinimum(0)]
    [Description("UDP flows (clients by source address and port) the holder took in within its bounds.")]
    [JsonPropertyName("flows")]
    public int Flows { get; set; }

    [Required]
    [RangeMinimum(0)]
    [Description("Connections and flows handed to a ready pod.")]
    [JsonPropertyName("handedToPods")]
    public int HandedToPods { get; set; }

    [Required]
    [RangeMinimum(0)]
    [Description("TCP connections the holder reset: refused at a bound, still waiting when the hold failed or at its deadline, refused by every ready pod, or reset while relayed.")]
    [JsonPropertyName("reset")]
    public int Reset { get; set; }

    [Description("The resets by reason (the reason label of the holding metrics, e.g. service_limit, hold_failed, deadline, connect_failed, peer_reset).")]
    [JsonPropertyName("resetReasons")]
    public IDictionary<string, int>? ResetReasons { get; set; }

    [Required]
    [RangeMinimum(0)]
    [Description("UDP datagrams the holder dropped: refused at a bound, still kept when the hold failed or at its deadline, or of a flow that expired.")]
    [JsonPropertyName("dropped")]
    public int Dropped { get; set; }

    [Description("The drops by reason (the reason label of the holding metrics, e.g. client_datagram_limit, hold_failed, flow_expired).")]
    [JsonPropertyName("dropReasons")]
    public IDictionary<string, int>? DropReasons { get; set; }

    [Required]
    [RangeMinimum(0)]
    [Description("UDP datagrams kept until a pod was ready.")]
    [JsonPropertyName("keptDatagrams")]
    public int KeptDatagrams { get; set; }
}
