using System.Text.Json.Serialization;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities;

[JsonConverter(typeof(JsonStringEnumConverter<IdlerHoldEnd>))]
[Description("Drained: the pods' own backends took over and the holder let go; Failed: the wake failed or was undone, or the hold's deadline passed without a ready pod, so what still waited was reset (TCP) or dropped (UDP).")]
public enum IdlerHoldEnd
{
    Drained,
    Failed,
}
