using System.Text.Json.Serialization;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities;

// The fields and rules of metav1.Condition, the standard condition of Kubernetes APIs.
public sealed class IdlerCondition
{
    [Required]
    [Description("Type of condition in CamelCase, e.g. Ready or Idled.")]
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [Required]
    [JsonPropertyName("status")]
    public ConditionStatus Status { get; set; } = ConditionStatus.Unknown;

    [Required]
    [Description("Machine-readable CamelCase reason for the last transition.")]
    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "";

    [Required]
    [Description("Human-readable details of the last transition.")]
    [JsonPropertyName("message")]
    public string Message { get; set; } = "";

    [Required]
    [Description("When the condition last changed status.")]
    [JsonPropertyName("lastTransitionTime")]
    public DateTimeOffset LastTransitionTime { get; set; }

    [RangeMinimum(0)]
    [Description("The metadata.generation the condition was set for.")]
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }
}
