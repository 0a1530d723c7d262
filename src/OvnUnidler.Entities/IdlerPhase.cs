using System.Text.Json.Serialization;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities;

[JsonConverter(typeof(JsonStringEnumConverter<IdlerPhase>))]
[Description("Active: the targets run; Idled: scaled to zero with the idle annotations on the Service; Waking: a wake is under way.")]
public enum IdlerPhase
{
    Active,
    Idled,
    Waking,
}
