using OvnUnidler.Operator.Model;


namespace OvnUnidler.Operator.Mapping;

public readonly record struct MappingResult(ServiceKey? Service, MatchedBy? MatchedBy, string? Reason)
{
    public static MappingResult Found(ServiceKey service, MatchedBy matchedBy) => new(service, matchedBy, null);

    public static MappingResult Unknown(string reason) => new(null, null, reason);
}
