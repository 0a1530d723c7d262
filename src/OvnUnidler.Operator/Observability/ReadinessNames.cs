namespace OvnUnidler.Operator.Observability;

public static class ReadinessNames
{
    public const string Services = "services";
    public const string EndpointSlices = "endpointslices";
    public const string Northbound = "northbound";
    public const string Southbound = "southbound";
}
