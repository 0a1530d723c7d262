using System.Globalization;
using System.Text.Json.Serialization;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities;

// Property order is the order of the `kubectl get idlers` columns.
public sealed class V1Alpha1IdlerStatus
{
    [AdditionalPrinterColumn(name: "Phase")]
    [JsonPropertyName("phase")]
    public IdlerPhase? Phase { get; set; }

    [RangeMinimum(0)]
    [AdditionalPrinterColumn(name: "Wakes")]
    [Description("How many times traffic or a user woke the Service since the Idler was created.")]
    [JsonPropertyName("wakeCount")]
    public long WakeCount { get; set; }

    [AdditionalPrinterColumn(name: "Last Wake")]
    [Description("When the last wake scaled the targets up.")]
    [JsonPropertyName("lastWakeTime")]
    public DateTimeOffset? LastWakeTime { get; set; }

    [AdditionalPrinterColumn(name: "Latency")]
    [Description("Time from the first Controller_Event row of the last wake to its scale-up, as a duration (e.g. 850ms, 1.25s, 2m3s).")]
    [JsonPropertyName("lastWakeLatency")]
    public string? LastWakeLatency { get; set; }

    [AdditionalPrinterColumn(PrinterColumnPriority.WideView, "Idled At")]
    [Description("When the Service was last idled (its idled-at annotation).")]
    [JsonPropertyName("idledAt")]
    public DateTimeOffset? IdledAt { get; set; }

    [AdditionalPrinterColumn(PrinterColumnPriority.WideView, "Chassis")]
    [Description("Chassis of the Southbound Controller_Event row that triggered the last wake.")]
    [JsonPropertyName("lastEventChassis")]
    public string? LastEventChassis { get; set; }

    [Description("_uuid of the Southbound Controller_Event row that triggered the last wake.")]
    [JsonPropertyName("lastEventRow")]
    public string? LastEventRow { get; set; }

    // Its Held column comes after Chassis in `kubectl get idlers -o wide`.
    [JsonPropertyName("lastHold")]
    public IdlerHold? LastHold { get; set; }

    [RangeMinimum(0)]
    [Description("The metadata.generation this status reflects.")]
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [Description("Human-readable detail of the current phase, or why the desired state is not reached.")]
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("conditions")]
    public IList<IdlerCondition>? Conditions { get; set; }

    // Go's time.Duration notation (850ms, 1.25s, 2m3.5s), which kubectl users read everywhere.
    public static string FormatLatency(TimeSpan latency)
    {
        var milliseconds = Math.Max(0, (long)Math.Round(latency.TotalMilliseconds));
        if (milliseconds < 1000)
        {
            return milliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var hours = milliseconds / 3_600_000;
        var minutes = milliseconds / 60_000 % 60;
        var seconds = milliseconds % 60_000 / 1000.0;
        var text = seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        if (hours > 0)
        {
            return $"{hours.ToString(CultureInfo.InvariantCulture)}h{minutes.ToString(CultureInfo.InvariantCulture)}m{text}";
        }

        return minutes > 0 ? $"{minutes.ToString(CultureInfo.InvariantCulture)}m{text}" : text;
    }
}
