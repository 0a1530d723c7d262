using System.Text.Json.Serialization;

namespace OvnUnidler.Entities;

[JsonConverter(typeof(JsonStringEnumConverter<ConditionStatus>))]
public enum ConditionStatus
{
    True,
    False,
    Unknown,
}
