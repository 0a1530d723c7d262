using System.Text.Json.Serialization;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities;

public sealed class V1Alpha1IdlerSpec
{
    [Required]
    [AdditionalPrinterColumn(name: "Service")]
    [Description("Name of the Service in the Idler's namespace.")]
    [JsonPropertyName("serviceName")]
    public string ServiceName { get; set; } = "";

    [AdditionalPrinterColumn(name: "Desired")]
    [Description("Active (default) or Idled. Setting Idled idles the Service as `oc idle` does; traffic to an idled Service wakes it and the phase shows it.")]
    [JsonPropertyName("desiredState")]
    public IdlerDesiredState DesiredState { get; set; } = IdlerDesiredState.Active;

    [Description("Workloads to scale; when empty they are found from the Service's selector.")]
    [JsonPropertyName("targets")]
    public IList<IdlerTarget>? Targets { get; set; }
}
