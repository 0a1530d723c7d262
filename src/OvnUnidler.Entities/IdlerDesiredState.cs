using System.Text.Json.Serialization;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities;

[JsonConverter(typeof(JsonStringEnumConverter<IdlerDesiredState>))]
[Description("Active leaves the Service to traffic-driven waking; Idled idles it as `oc idle` does.")]
public enum IdlerDesiredState
{
    Active,
    Idled,
}
