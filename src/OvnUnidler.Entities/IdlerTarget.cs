using System.Text.Json.Serialization;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities;

[Description("A workload to scale, as in the idling.alpha.openshift.io/unidle-targets annotation.")]
public sealed class IdlerTarget
{
    [Required]
    [JsonPropertyName("kind")]
    public IdlerTargetKind Kind { get; set; }

    [Required]
    [Description("Name of the workload in the Idler's namespace.")]
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [Description("API group; defaults to the kind's group (apps, apps.openshift.io, or the core group for ReplicationController).")]
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [RangeMinimum(1)]
    [Description("Replicas to restore on wake; defaults to the replicas the workload had when it was idled.")]
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }
}
